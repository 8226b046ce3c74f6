/**
 * The ledger row: exactly the columns of migrations/0001_ledger.sql, in order, with the kind of
 * value each holds. The JSONL sink writes one object per line with these keys; the PostgreSQL sink
 * inserts them (received_at is the database's default).
 */
export type ColumnKind = 'text' | 'time' | 'double' | 'bigint' | 'numeric' | 'bool';

export const COLUMNS = [
  ['trace_id', 'text'],
  ['span_id', 'text'],
  ['time', 'time'],
  ['start_time', 'time'],
  ['duration_ms', 'double'],
  ['service', 'text'],
  ['service_instance', 'text'],
  ['environment', 'text'],
  ['team', 'text'],
  ['endpoint', 'text'],
  ['tenant', 'text'],
  ['agent', 'text'],
  ['tool', 'text'],
  ['run_id', 'text'],
  ['session_id', 'text'],
  ['provider', 'text'],
  ['operation', 'text'],
  ['request_model', 'text'],
  ['response_model', 'text'],
  ['pricing_model', 'text'],
  ['catalog_version', 'text'],
  ['input_tokens', 'bigint'],
  ['output_tokens', 'bigint'],
  ['cache_read_tokens', 'bigint'],
  ['cache_write_tokens', 'bigint'],
  ['reasoning_tokens', 'bigint'],
  ['price_input_per_mtok', 'numeric'],
  ['price_output_per_mtok', 'numeric'],
  ['price_cache_read_per_mtok', 'numeric'],
  ['price_cache_write_per_mtok', 'numeric'],
  ['price_request_usd', 'numeric'],
  ['batch_factor', 'double'],
  ['cost_usd', 'numeric'],
  ['cost_input_usd', 'numeric'],
  ['cost_output_usd', 'numeric'],
  ['cost_cache_read_usd', 'numeric'],
  ['cost_cache_write_usd', 'numeric'],
  ['cost_request_usd', 'numeric'],
  ['cost_source', 'text'],
  ['outcome', 'text'],
  ['stream', 'bool'],
  ['stream_abandoned', 'bool'],
  ['budget_name', 'text'],
  ['budget_decision', 'text'],
  ['breaker_kind', 'text'],
  ['breaker_mode', 'text'],
  ['received_at', 'time'],
] as const satisfies readonly (readonly [string, ColumnKind])[];

export type ColumnName = (typeof COLUMNS)[number][0];

/** A row: timestamps as RFC 3339 UTC strings, money as decimal strings, tokens as integers. */
export type LedgerRow = Record<ColumnName, string | number | boolean | null>;

/** Columns the writer fills from each event (received_at is set when the row is stored). */
export const EVENT_COLUMNS = COLUMNS.filter(
  ([name]) => name !== 'received_at',
) as readonly (readonly [Exclude<ColumnName, 'received_at'>, ColumnKind])[];

/** The ledger event's name (docs/contract.md, "the ledger event"). */
export const LEDGER_EVENT_NAME = 'burnrate.ledger.call';

export const COST_SOURCES = new Set(['usage', 'estimated', 'unpriced', 'refused']);
