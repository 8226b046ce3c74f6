import type { TokenCounts } from '@burnrate/core';
import type { GenerateUsageLike } from './types.ts';

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Gemini's `usageMetadata` as a token breakdown, each billed token once:
 * - input = `promptTokenCount` (which already includes `cachedContentTokenCount`) plus
 *   `toolUsePromptTokenCount` (results of built-in tools fed back to the model, billed as input);
 * - output = `candidatesTokenCount` plus `thoughtsTokenCount` (thinking is billed at the output
 *   price and Gemini reports it apart from the candidates), with `reasoning` = the thoughts;
 * - cacheRead = `cachedContentTokenCount` (a subset of input, billed at the cache price).
 * Returns undefined when the response carries no usage.
 */
export function tokensFromUsage(u: GenerateUsageLike | null | undefined): TokenCounts | undefined {
  if (
    !u ||
    (typeof u.promptTokenCount !== 'number' && typeof u.candidatesTokenCount !== 'number')
  ) {
    return undefined;
  }
  const thoughts = count(u.thoughtsTokenCount);
  const tokens: TokenCounts = {
    input: count(u.promptTokenCount) + count(u.toolUsePromptTokenCount),
    output: count(u.candidatesTokenCount) + thoughts,
  };
  const cached = count(u.cachedContentTokenCount);
  if (cached) tokens.cacheRead = Math.min(cached, tokens.input);
  if (thoughts) tokens.reasoning = thoughts;
  return tokens;
}
