// A Prometheus remote-write 1.0 client for tests: pushes samples with the timestamps the test
// gives, as a Collector's prometheusremotewrite exporter does (stamped when collected, arriving
// later). The protobuf WriteRequest and the snappy block are written by hand (snappy with
// literals only, which every decoder accepts), so the test needs no dependency.

/** One series' sample: its labels (with __name__) and a value at `timestampMs`. */
export type PushedSample = {
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
};

function varint(n: number, out: number[]): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function field(tag: number, body: Uint8Array | number[], out: number[]): void {
  out.push(tag);
  varint(body.length, out);
  for (const b of body) out.push(b);
}

function labelBytes(name: string, value: string): number[] {
  const out: number[] = [];
  field(0x0a, Buffer.from(name), out); // Label.name = 1
  field(0x12, Buffer.from(value), out); // Label.value = 2
  return out;
}

function sampleBytes(value: number, timestampMs: number): number[] {
  const out: number[] = [0x09]; // Sample.value = 1, fixed64 double
  const d = Buffer.alloc(8);
  d.writeDoubleLE(value);
  out.push(...d);
  out.push(0x10); // Sample.timestamp = 2, varint int64
  varint(timestampMs, out);
  return out;
}

/** The WriteRequest protobuf for `samples`, one TimeSeries each (labels sorted by name). */
export function encodeWriteRequest(samples: readonly PushedSample[]): Buffer {
  const out: number[] = [];
  for (const s of samples) {
    const series: number[] = [];
    for (const name of Object.keys(s.labels).sort())
      field(0x0a, labelBytes(name, s.labels[name]), series); // TimeSeries.labels = 1
    field(0x12, sampleBytes(s.value, s.timestampMs), series); // TimeSeries.samples = 2
    field(0x0a, series, out); // WriteRequest.timeseries = 1
  }
  return Buffer.from(out);
}

/** `data` as a snappy block of literals (uncompressed length, then 64 KiB literal runs). */
export function snappyLiterals(data: Buffer): Buffer {
  const out: number[] = [];
  varint(data.length, out);
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 65_536) {
    const chunk = data.subarray(i, i + 65_536);
    const n = chunk.length - 1;
    const tag = n < 60 ? [n << 2] : n < 256 ? [60 << 2, n] : [61 << 2, n & 0xff, n >> 8];
    chunks.push(Buffer.from(tag), chunk);
  }
  return Buffer.concat([Buffer.from(out), ...chunks]);
}

/** POSTs `samples` to a Prometheus remote-write receiver (`{url}/api/v1/write`). */
export async function pushSamples(url: string, samples: readonly PushedSample[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: new Uint8Array(snappyLiterals(encodeWriteRequest(samples))),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 300) throw new Error(`remote write ${res.status}: ${await res.text()}`);
}
