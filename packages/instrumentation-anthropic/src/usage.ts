import type { TokenCounts } from '@burnrate/core';
import type { AnthropicUsage } from './types.ts';

const n = (v: number | null | undefined): number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;

/**
 * Anthropic usage -> the conventions' breakdown. Anthropic's `input_tokens` leaves out cache reads
 * and writes, so they are added in; cache writes are split by TTL (5-minute and 1-hour writes
 * are priced apart) when the API says how, else counted as 5-minute writes (the default TTL).
 * Extended-thinking tokens are billed as output and are inside `output_tokens`.
 */
export function tokensFromAnthropicUsage(
  u: AnthropicUsage | null | undefined,
): TokenCounts | undefined {
  if (!u || typeof u.input_tokens !== 'number') return undefined;
  const cacheRead = n(u.cache_read_input_tokens);
  const written = n(u.cache_creation_input_tokens);
  const w5m = n(u.cache_creation?.ephemeral_5m_input_tokens);
  const w1h = n(u.cache_creation?.ephemeral_1h_input_tokens);
  // The TTL split, where given, adds up to the total written; any rest has the default TTL.
  const cacheWrite1h = w1h;
  const cacheWrite = Math.max(written - w1h, w5m);
  const tokens: TokenCounts = {
    input: n(u.input_tokens) + cacheRead + cacheWrite + cacheWrite1h,
    output: n(u.output_tokens),
  };
  if (cacheRead) tokens.cacheRead = cacheRead;
  if (cacheWrite) tokens.cacheWrite = cacheWrite;
  if (cacheWrite1h) tokens.cacheWrite1h = cacheWrite1h;
  const thinking = n(u.output_tokens_details?.thinking_tokens);
  if (thinking) tokens.reasoning = Math.min(thinking, tokens.output);
  return tokens;
}

/** Merges a later usage (e.g. a stream's `message_delta` totals) over an earlier one: non-null values win. */
export function mergeUsage(
  base: AnthropicUsage | undefined,
  later: AnthropicUsage | null | undefined,
): AnthropicUsage | undefined {
  if (!later) return base;
  const out: AnthropicUsage = { ...base };
  for (const [k, v] of Object.entries(later)) {
    if (v !== null && v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
