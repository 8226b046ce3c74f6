import type { TokenCounts } from '@burnrate/core';

/**
 * AI SDK provider usage, as Mastra's model wrappers hand it on: LanguageModelV2 (ai 5 providers)
 * has numbers, V3/V4 (ai 6/7 providers) objects with a breakdown.
 */
export interface ProviderUsage {
  inputTokens?: number | { total?: number; cacheRead?: number; cacheWrite?: number } | null;
  outputTokens?: number | { total?: number; reasoning?: number } | null;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/** The tokens of a provider result's usage, or undefined when it reports none. */
export function tokensOf(usage: ProviderUsage | null | undefined): TokenCounts | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const i = usage.inputTokens;
  const o = usage.outputTokens;
  const input = count(typeof i === 'object' && i !== null ? i.total : i);
  const output = count(typeof o === 'object' && o !== null ? o.total : o);
  if (input === undefined && output === undefined) return undefined;
  const tokens: TokenCounts = { input: input ?? 0, output: output ?? 0 };
  const cacheRead =
    typeof i === 'object' && i !== null ? count(i.cacheRead) : count(usage.cachedInputTokens);
  if (cacheRead) tokens.cacheRead = cacheRead;
  const cacheWrite = typeof i === 'object' && i !== null ? count(i.cacheWrite) : undefined;
  if (cacheWrite) tokens.cacheWrite = cacheWrite;
  const reasoning =
    typeof o === 'object' && o !== null ? count(o.reasoning) : count(usage.reasoningTokens);
  if (reasoning) tokens.reasoning = reasoning;
  return tokens;
}
