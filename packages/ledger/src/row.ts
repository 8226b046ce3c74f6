import { COST_SOURCES, EVENT_COLUMNS, type LedgerRow } from './columns.ts';
import { decimalString, rfc3339FromNanos, type Scalar } from './values.ts';

export class RowError extends Error {}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Larger than any sane cost or price (mirrors the Collector's max span cost, with headroom). */
const MAX_MONEY = 1e12;

export interface EventInput {
  traceId: string | undefined;
  spanId: string | undefined;
  timeUnixNano: bigint | undefined;
  attributes: Map<string, Scalar>;
  resource: Map<string, Scalar>;
}

function text(name: string, v: Scalar): string {
  if (typeof v !== 'string') throw new RowError(`${name}: expected a string, got ${typeof v}`);
  if (v.length > 4096) throw new RowError(`${name}: longer than 4096 characters`);
  return v;
}

function count(name: string, v: Scalar): number {
  const n =
    typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null;
  if (n === null || n < 0n || n > 2n ** 53n)
    throw new RowError(`${name}: expected a whole number 0 … 2^53, got ${String(v)}`);
  return Number(n);
}

function money(name: string, v: Scalar): string {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_MONEY)
    throw new RowError(`${name}: expected a finite amount 0 … ${MAX_MONEY}, got ${String(v)}`);
  return decimalString(n);
}

function double(name: string, v: Scalar): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new RowError(`${name}: expected a finite number, got ${String(v)}`);
  return n;
}

function time(name: string, v: Scalar): string {
  if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v)))
    throw new RowError(`${name}: expected an RFC 3339 time, got ${String(v)}`);
  return v;
}

function bool(name: string, v: Scalar): boolean {
  if (typeof v !== 'boolean') throw new RowError(`${name}: expected a boolean, got ${String(v)}`);
  return v;
}

const CONVERT = { text, bigint: count, numeric: money, double, time, bool } as const;

/**
 * One ledger event (an OTLP log record) as a row. The trace and span ids come from the record's
 * trace context; every other column from the attribute of the same name; the service, instance
 * and environment fall back to the resource; the time to the record's timestamp. Throws RowError
 * naming the field for a value that does not fit its column.
 */
export function rowFromEvent(e: EventInput): Omit<LedgerRow, 'received_at'> {
  const traceId = (e.traceId ?? '').toLowerCase();
  const spanId = (e.spanId ?? '').toLowerCase();
  if (!HEX32.test(traceId) || /^0+$/.test(traceId))
    throw new RowError(`trace_id: expected 32 hex digits in the record's trace context`);
  if (!HEX16.test(spanId) || /^0+$/.test(spanId))
    throw new RowError(`span_id: expected 16 hex digits in the record's trace context`);
  const row = { trace_id: traceId, span_id: spanId } as Omit<LedgerRow, 'received_at'>;
  const fallback: Record<string, Scalar | undefined> = {
    time: e.timeUnixNano ? rfc3339FromNanos(e.timeUnixNano) : undefined,
    service: e.resource.get('service.name') ?? 'unknown_service',
    service_instance: e.resource.get('service.instance.id'),
    environment: e.resource.get('deployment.environment.name'),
  };
  for (const [name, kind] of EVENT_COLUMNS) {
    if (name === 'trace_id' || name === 'span_id') continue;
    const v = e.attributes.get(name) ?? fallback[name];
    row[name] = v === undefined ? null : CONVERT[kind](name, v);
  }
  if (row.time === null) throw new RowError('time: missing (no attribute and no timestamp)');
  if (typeof row.cost_source !== 'string' || !COST_SOURCES.has(row.cost_source))
    throw new RowError(
      `cost_source: expected usage, estimated, unpriced or refused, got ${String(row.cost_source)}`,
    );
  if (row.outcome !== 'ok' && row.outcome !== 'error')
    throw new RowError(`outcome: expected ok or error, got ${String(row.outcome)}`);
  return row;
}
