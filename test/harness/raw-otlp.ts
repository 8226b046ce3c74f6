import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

/**
 * Raw OTLP, for senders that are not an OpenTelemetry SDK: typed attribute values the JS SDK
 * cannot produce (NaN, ±Infinity, a double that holds an integer, an int beyond 2^53), posted
 * as OTLP/HTTP JSON exactly as written; and a decoder for what an OTLP/HTTP exporter sends
 * (protobuf), to see what the Collector forwarded.
 */

/** One OTLP AnyValue as OTLP/JSON writes it (doubles may be "NaN", "Infinity", "-Infinity"). */
export type RawValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string };

export type RawAttrs = Record<string, RawValue | string | boolean>;

/** Typed OTLP values. */
export const otlp = {
  str: (v: string): RawValue => ({ stringValue: v }),
  bool: (v: boolean): RawValue => ({ boolValue: v }),
  /** An intValue; a bigint or decimal string keeps values beyond 2^53 exact. */
  int: (v: number | bigint | string): RawValue => ({ intValue: String(v) }),
  /** A doubleValue; NaN and ±Infinity are written as OTLP/JSON's strings. */
  double: (v: number): RawValue => ({
    doubleValue: Number.isNaN(v)
      ? 'NaN'
      : v === Number.POSITIVE_INFINITY
        ? 'Infinity'
        : v === Number.NEGATIVE_INFINITY
          ? '-Infinity'
          : v,
  }),
};

export type RawSpan = {
  resource: RawAttrs;
  attributes: RawAttrs;
  name?: string;
  status?: 'ok' | 'error' | 'unset';
};

function toValue(v: RawValue | string | boolean): RawValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return v;
}

function toAttrs(a: RawAttrs): { key: string; value: RawValue }[] {
  return Object.entries(a).map(([key, v]) => ({ key, value: toValue(v) }));
}

/** The OTLP/JSON ExportTraceServiceRequest for `spans` (one ResourceSpans per distinct resource). */
export function otlpJsonRequest(spans: RawSpan[]): unknown {
  const byResource = new Map<string, RawSpan[]>();
  for (const s of spans) {
    const key = JSON.stringify(s.resource);
    byResource.set(key, [...(byResource.get(key) ?? []), s]);
  }
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [...byResource.values()].map((group) => ({
      resource: { attributes: toAttrs(group[0].resource) },
      scopeSpans: [
        {
          scope: { name: 'burnrate-test-raw-otlp' },
          spans: group.map((s) => ({
            traceId: randomBytes(16).toString('hex'),
            spanId: randomBytes(8).toString('hex'),
            name: s.name ?? 'span',
            kind: 3, // CLIENT
            startTimeUnixNano: String(now - 1_000_000n),
            endTimeUnixNano: String(now),
            attributes: toAttrs(s.attributes),
            status: { code: s.status === 'error' ? 2 : s.status === 'ok' ? 1 : 0 },
          })),
        },
      ],
    })),
  };
}

/**
 * POSTs spans to `${otlpHttpUrl}/v1/traces` as OTLP/JSON, `perRequest` spans per request;
 * throws unless every request is accepted with no rejected spans.
 */
export async function postOtlpJson(
  otlpHttpUrl: string,
  spans: RawSpan[],
  perRequest = 1000,
): Promise<void> {
  for (let i = 0; i < spans.length; i += perRequest) {
    const res = await fetch(`${otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpJsonRequest(spans.slice(i, i + perRequest))),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`OTLP/JSON export: HTTP ${res.status} ${text}`);
    const body = text ? (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string } }) : {};
    if (Number(body.partialSuccess?.rejectedSpans ?? 0) > 0)
      throw new Error(`OTLP/JSON export: partial success ${text}`);
  }
}

/** A decoded attribute value: numbers keep their OTLP type. */
export type DecodedValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'other' };

export type DecodedSpan = {
  name: string;
  resource: Record<string, DecodedValue>;
  attributes: Record<string, DecodedValue>;
};

type Field = { no: number; wire: number; varint?: bigint; bytes?: Buffer; fixed64?: Buffer };

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 1) {
      out.push({ no, wire, fixed64: buf.subarray(i, i + 8) });
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 5) i += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

function anyValue(buf: Buffer): DecodedValue {
  for (const f of fields(buf)) {
    if (f.no === 1 && f.bytes) return { type: 'string', value: f.bytes.toString('utf8') };
    if (f.no === 2 && f.varint !== undefined) return { type: 'bool', value: f.varint !== 0n };
    if (f.no === 3 && f.varint !== undefined)
      return { type: 'int', value: BigInt.asIntN(64, f.varint) };
    if (f.no === 4 && f.fixed64) return { type: 'double', value: f.fixed64.readDoubleLE(0) };
  }
  return { type: 'other' };
}

function keyValues(list: Field[]): Record<string, DecodedValue> {
  const out: Record<string, DecodedValue> = {};
  for (const kv of list) {
    if (!kv.bytes) continue;
    let key = '';
    let value: DecodedValue = { type: 'other' };
    for (const f of fields(kv.bytes)) {
      if (f.no === 1 && f.bytes) key = f.bytes.toString('utf8');
      if (f.no === 2 && f.bytes) value = anyValue(f.bytes);
    }
    out[key] = value;
  }
  return out;
}

/**
 * Decodes an OTLP/HTTP protobuf ExportTraceServiceRequest (gzip or not), as the Collector's
 * otlp_http exporter sends it: span names, resource and span attributes with their types.
 */
export function decodeOtlpProto(body: Buffer): DecodedSpan[] {
  const buf = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
  const out: DecodedSpan[] = [];
  for (const rs of fields(buf).filter((f) => f.no === 1 && f.bytes)) {
    const rsFields = fields(rs.bytes as Buffer);
    const res = rsFields.find((f) => f.no === 1 && f.bytes);
    const resource = res
      ? keyValues(fields(res.bytes as Buffer).filter((f) => f.no === 1 && f.bytes))
      : {};
    for (const ss of rsFields.filter((f) => f.no === 2 && f.bytes)) {
      for (const sp of fields(ss.bytes as Buffer).filter((f) => f.no === 2 && f.bytes)) {
        const spFields = fields(sp.bytes as Buffer);
        const name = spFields.find((f) => f.no === 5 && f.bytes)?.bytes?.toString('utf8') ?? '';
        out.push({ name, resource, attributes: keyValues(spFields.filter((f) => f.no === 9)) });
      }
    }
  }
  return out;
}
