import type { TokenCounts } from '@burnrate/core';
import type { UsageLike } from './types.ts';

/**
 * Mistral's usage: `prompt_tokens` counts every input token, `completion_tokens` every output
 * token. Where the API reports cached prompt tokens (`prompt_tokens_details.cached_tokens`), they
 * are the cache-read subset of the input.
 */
export function tokensFromUsage(u: UsageLike | null | undefined): TokenCounts | undefined {
  if (!u || typeof u.promptTokens !== 'number') return undefined;
  const tokens: TokenCounts = { input: u.promptTokens, output: u.completionTokens ?? 0 };
  const cached = u.promptTokensDetails?.cachedTokens ?? u.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) tokens.cacheRead = Math.min(cached, tokens.input);
  return tokens;
}
