import type { OtlpAnyValue, OtlpKeyValue } from './values.ts';

/**
 * A minimal protobuf reader for OTLP's ExportLogsServiceRequest (opentelemetry-proto
 * logs/v1, common/v1): only the fields a ledger event uses, into the same shape as OTLP/JSON
 * (ids as hex, 64-bit ints as decimal strings). Unknown fields are skipped, as protobuf requires.
 */
export class ProtoError extends Error {}

interface Field {
  no: number;
  wire: number;
  int?: bigint;
  bytes?: Buffer;
}

function varint(buf: Buffer, pos: { at: number }): bigint {
  let out = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (pos.at >= buf.length) throw new ProtoError('body: truncated protobuf varint');
    const b = buf[pos.at++];
    out |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return out;
  }
  throw new ProtoError('body: protobuf varint too long');
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  const pos = { at: 0 };
  while (pos.at < buf.length) {
    const key = Number(varint(buf, pos));
    const f: Field = { no: key >>> 3, wire: key & 7 };
    if (f.wire === 0) f.int = varint(buf, pos);
    else if (f.wire === 1 || f.wire === 5) {
      const n = f.wire === 1 ? 8 : 4;
      if (pos.at + n > buf.length) throw new ProtoError('body: truncated protobuf field');
      f.bytes = buf.subarray(pos.at, pos.at + n);
      pos.at += n;
    } else if (f.wire === 2) {
      const n = Number(varint(buf, pos));
      if (pos.at + n > buf.length) throw new ProtoError('body: truncated protobuf field');
      f.bytes = buf.subarray(pos.at, pos.at + n);
      pos.at += n;
    } else throw new ProtoError(`body: protobuf wire type ${f.wire} not supported`);
    out.push(f);
  }
  return out;
}

const sub = (fs: Field[], no: number) =>
  fs.filter((f) => f.no === no && f.bytes).map((f) => f.bytes as Buffer);

function anyValue(buf: Buffer): OtlpAnyValue {
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) return { stringValue: f.bytes.toString('utf8') };
    if (f.no === 2 && f.int !== undefined) return { boolValue: f.int !== 0n };
    if (f.no === 3 && f.int !== undefined) return { intValue: BigInt.asIntN(64, f.int).toString() };
    if (f.no === 4 && f.bytes) return { doubleValue: f.bytes.readDoubleLE(0) };
  }
  return {};
}

function keyValues(list: Buffer[]): OtlpKeyValue[] {
  return list.map((kv) => {
    const fs = fields(kv);
    const value = sub(fs, 2)[0];
    return { key: sub(fs, 1)[0]?.toString('utf8') ?? '', value: value ? anyValue(value) : {} };
  });
}

const fixed64 = (fs: Field[], no: number) => {
  const b = fs.find((f) => f.no === no && f.wire === 1)?.bytes;
  return b ? b.readBigUInt64LE(0).toString() : undefined;
};

/** ExportLogsServiceRequest protobuf → its OTLP/JSON form. */
export function decodeLogsProto(buf: Buffer): unknown {
  return {
    resourceLogs: sub(fields(buf), 1).map((rl) => {
      const rlf = fields(rl);
      const resource = sub(rlf, 1)[0];
      return {
        resource: { attributes: resource ? keyValues(sub(fields(resource), 1)) : [] },
        scopeLogs: sub(rlf, 2).map((sl) => ({
          logRecords: sub(fields(sl), 2).map((lr) => {
            const f = fields(lr);
            return {
              timeUnixNano: fixed64(f, 1),
              observedTimeUnixNano: fixed64(f, 11),
              attributes: keyValues(sub(f, 6)),
              traceId: sub(f, 9)[0]?.toString('hex'),
              spanId: sub(f, 10)[0]?.toString('hex'),
              eventName: sub(f, 12)[0]?.toString('utf8'),
            };
          }),
        })),
      };
    }),
  };
}
