import { ExportError } from '../types.ts';

/** The ledger columns reconcile reads (packages/ledger/migrations/0001_ledger.sql). */
export interface LedgerRow {
  time: number;
  startTime: number | null;
  service: string;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number | null;
  costInputUsd: number | null;
  costOutputUsd: number | null;
  costCacheReadUsd: number | null;
  costCacheWriteUsd: number | null;
  costSource: 'usage' | 'estimated' | 'unpriced' | 'refused';
  stream: boolean;
}

const COST_SOURCES = new Set(['usage', 'estimated', 'unpriced', 'refused']);

/** Reads one ledger row (a JSONL object or a row_to_json of the table), naming the bad field. */
export function ledgerRow(
  o: Record<string, unknown>,
  where: string,
  line: number | null,
): LedgerRow {
  const fail = (field: string, problem: string): never => {
    throw new ExportError(where, line, field, problem);
  };
  const time = (field: string, optional: boolean): number | null => {
    const v = o[field];
    if ((v === null || v === undefined) && optional) return null;
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(t)) fail(field, `expected an RFC 3339 time, got ${JSON.stringify(v)}`);
    return t;
  };
  const text = (field: string, optional: boolean): string | null => {
    const v = o[field];
    if ((v === null || v === undefined) && optional) return null;
    if (typeof v !== 'string' || v === '')
      fail(field, `expected a string, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const tokens = (field: string): number => {
    const v = o[field];
    if (v === null || v === undefined) return 0;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      fail(field, `expected a whole number of tokens, got ${JSON.stringify(v)}`);
    }
    return n as number;
  };
  const money = (field: string): number | null => {
    const v = o[field];
    if (v === null || v === undefined) return null;
    const n = typeof v === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      fail(field, `expected a decimal string of dollars, got ${JSON.stringify(v)}`);
    }
    return n as number;
  };
  const costSource = text('cost_source', false) as string;
  if (!COST_SOURCES.has(costSource)) {
    fail('cost_source', `"${costSource}": expected usage, estimated, unpriced or refused`);
  }
  return {
    time: time('time', false) as number,
    startTime: time('start_time', true),
    service: text('service', false) as string,
    provider: text('provider', true),
    model: text('response_model', true) ?? text('request_model', true),
    inputTokens: tokens('input_tokens'),
    outputTokens: tokens('output_tokens'),
    cacheReadTokens: tokens('cache_read_tokens'),
    cacheWriteTokens: tokens('cache_write_tokens'),
    reasoningTokens: tokens('reasoning_tokens'),
    costUsd: money('cost_usd'),
    costInputUsd: money('cost_input_usd'),
    costOutputUsd: money('cost_output_usd'),
    costCacheReadUsd: money('cost_cache_read_usd'),
    costCacheWriteUsd: money('cost_cache_write_usd'),
    costSource: costSource as LedgerRow['costSource'],
    stream: o.stream === true,
  };
}

/** The rows reconcile wants: [from, to) by `time`, LLM providers only. */
export interface LedgerQuery {
  from: number;
  to: number;
  /** The providers wanted; null: every row with a provider. */
  providers: readonly string[] | null;
}

export function wanted(row: LedgerRow, q: LedgerQuery): boolean {
  return (
    row.time >= q.from &&
    row.time < q.to &&
    row.provider !== null &&
    (q.providers === null || q.providers.includes(row.provider))
  );
}
