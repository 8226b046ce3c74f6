import { type ForeignUsage, num, str, type TokenCounts, type UsageReader } from '@burnrate/core';

/** The span the Anthropic SDK (0.134+, 1.x) makes for each Messages call. */
export const ANTHROPIC_SDK_SPAN = 'anthropic.messages.create';

/**
 * Reads the SDK's own span. Its `gen_ai.usage.input_tokens` already counts cache reads and writes
 * (as the conventions say); cache writes are under a non-standard name
 * (`gen_ai.usage.cache_write.input_tokens`), split by TTL under `anthropic.usage.cache_creation.*`.
 * A span without usage (a failed call, a stream closed before `message_start`) is not priced.
 */
export const anthropicSdkSpanReader: UsageReader = (name, attrs) => {
  if (name !== ANTHROPIC_SDK_SPAN) return undefined;
  const input = num(attrs['gen_ai.usage.input_tokens']);
  const output = num(attrs['gen_ai.usage.output_tokens']);
  if (input === undefined && output === undefined) return 'skip';
  const cacheRead = num(attrs['gen_ai.usage.cache_read.input_tokens']) ?? 0;
  const written =
    num(attrs['gen_ai.usage.cache_write.input_tokens']) ??
    num(attrs['gen_ai.usage.cache_creation.input_tokens']) ??
    0;
  const w5m = num(attrs['anthropic.usage.cache_creation.ephemeral_5m_input_tokens']) ?? 0;
  const w1h = num(attrs['anthropic.usage.cache_creation.ephemeral_1h_input_tokens']) ?? 0;
  const cacheWrite = Math.max(written - w1h, w5m);
  let total = input ?? 0;
  // Should an SDK version report the uncached input alone, its count is below the cache counts.
  if (total < cacheRead + cacheWrite + w1h) total += cacheRead + cacheWrite + w1h;
  const tokens: TokenCounts = { input: total, output: output ?? 0 };
  if (cacheRead) tokens.cacheRead = cacheRead;
  if (cacheWrite) tokens.cacheWrite = cacheWrite;
  if (w1h) tokens.cacheWrite1h = w1h;
  const reasoning = num(attrs['gen_ai.usage.reasoning.output_tokens']);
  if (reasoning) tokens.reasoning = reasoning;
  const usage: ForeignUsage = {
    provider: str(attrs['gen_ai.provider.name']) ?? 'anthropic',
    operation: str(attrs['gen_ai.operation.name']) ?? 'chat',
    requestModel: str(attrs['gen_ai.request.model']),
    responseModel: str(attrs['gen_ai.response.model']),
    tokens,
  };
  return usage;
};
