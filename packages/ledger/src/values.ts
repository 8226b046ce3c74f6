/** OTLP/JSON AnyValue (the kinds a ledger event uses). */
export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number | string;
  boolValue?: boolean;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export type Scalar = string | number | boolean | bigint;

/** The value of an OTLP/JSON attribute: ints as bigint (exact), doubles as number. */
export function scalarOf(v: OtlpAnyValue | undefined): Scalar | undefined {
  if (!v) return undefined;
  if (v.stringValue != null) return v.stringValue;
  if (v.intValue != null) {
    try {
      return BigInt(v.intValue);
    } catch {
      return String(v.intValue);
    }
  }
  if (v.doubleValue != null) return Number(v.doubleValue);
  if (v.boolValue != null) return v.boolValue;
  return undefined;
}

export function attributeMap(list: OtlpKeyValue[] | undefined): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  for (const kv of list ?? []) {
    const s = scalarOf(kv.value);
    if (s !== undefined) out.set(kv.key, s);
  }
  return out;
}

/**
 * A finite number as a plain decimal string (no exponent): what PostgreSQL's numeric and the
 * JSONL sink hold. `1.5e-7` → `0.00000015`. Rounded to 15 significant digits (all a double
 * holds), so binary noise goes: the app's 0.15e-3 + 0.06e-3 = 0.00020999999999999998 is `0.00021`.
 */
export function decimalString(n: number): string {
  const s = String(Number(n.toPrecision(15)));
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = lead + frac;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const point = 1 + exp;
  return point >= digits.length
    ? `${sign}${digits}${'0'.repeat(point - digits.length)}`
    : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Nanoseconds since the epoch (OTLP's time) as an RFC 3339 UTC string with microseconds. */
export function rfc3339FromNanos(nanos: bigint): string {
  const ms = nanos / 1_000_000n;
  const micros = (nanos / 1000n) % 1000n;
  const iso = new Date(Number(ms)).toISOString(); // 2026-12-06T09:00:00.123Z
  return `${iso.slice(0, 23)}${micros.toString().padStart(3, '0')}Z`;
}
