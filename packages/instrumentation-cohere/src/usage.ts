import type { TokenCounts } from '@burnrate/core';
import type { BilledUnitsLike, MetaLike, ResponseLike } from './types.ts';

function billed(meta: MetaLike | undefined): BilledUnitsLike | undefined {
  return meta?.billedUnits ?? meta?.billed_units;
}

/** The billed units of a response or stream event: v1 `meta`, v2 `usage`, stream `response` / `delta`. */
export function billedUnits(r: ResponseLike | undefined): BilledUnitsLike | undefined {
  if (!r) return undefined;
  return billed(r.meta) ?? billed(r.usage) ?? billed(r.response?.meta) ?? billed(r.delta?.usage);
}

function n(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * Tokens as Cohere bills them. Cohere reports `billed_units` beside `tokens`; `tokens` also counts
 * the tokens Cohere inserts itself (chat templates, preambles) and does not bill, so the span's
 * `gen_ai.usage.*` are the billed units (DESIGN.md).
 */
export function billedTokens(b: BilledUnitsLike | undefined): TokenCounts | undefined {
  if (!b) return undefined;
  const input = n(b.inputTokens ?? b.input_tokens);
  const output = n(b.outputTokens ?? b.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  return { input: input ?? 0, output: output ?? 0 };
}

export function searchUnits(b: BilledUnitsLike | undefined): number | undefined {
  return n(b?.searchUnits ?? b?.search_units);
}
