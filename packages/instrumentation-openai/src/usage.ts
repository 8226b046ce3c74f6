import type { TokenCounts } from '@burnrate/core';
import type { CompletionsUsage, ResponsesUsage } from './types.ts';

/** Chat and legacy completions usage: prompt_tokens already include cached tokens. */
export function tokensFromCompletionsUsage(
  u: CompletionsUsage | null | undefined,
): TokenCounts | undefined {
  if (!u || typeof u.prompt_tokens !== 'number') return undefined;
  const tokens: TokenCounts = { input: u.prompt_tokens, output: u.completion_tokens ?? 0 };
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (cached) tokens.cacheRead = cached;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning) tokens.reasoning = reasoning;
  return tokens;
}

/** Responses API usage: input_tokens already include cached tokens. */
export function tokensFromResponsesUsage(
  u: ResponsesUsage | null | undefined,
): TokenCounts | undefined {
  if (!u || typeof u.input_tokens !== 'number') return undefined;
  const tokens: TokenCounts = { input: u.input_tokens, output: u.output_tokens ?? 0 };
  const cached = u.input_tokens_details?.cached_tokens;
  if (cached) tokens.cacheRead = cached;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (reasoning) tokens.reasoning = reasoning;
  return tokens;
}
