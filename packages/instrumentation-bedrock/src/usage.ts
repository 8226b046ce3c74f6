import type { TokenCounts } from '@burnrate/core';
import type { AnthropicUsage } from '@burnrate/instrumentation-anthropic';
import { tokensFromAnthropicUsage } from '@burnrate/instrumentation-anthropic';
import type { ConverseUsage, InvocationMetrics, Json } from './types.ts';

const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const has = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null ? (v as Json) : undefined;

function withCache(
  uncached: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
  cacheWrite1h = 0,
): TokenCounts {
  const tokens: TokenCounts = { input: uncached + cacheRead + cacheWrite + cacheWrite1h, output };
  if (cacheRead) tokens.cacheRead = cacheRead;
  if (cacheWrite) tokens.cacheWrite = cacheWrite;
  if (cacheWrite1h) tokens.cacheWrite1h = cacheWrite1h;
  return tokens;
}

/**
 * Converse usage -> the conventions' breakdown. `inputTokens` counts uncached input only, so
 * cache reads and writes are added in; writes are split by TTL from `cacheDetails` when given.
 */
export function tokensFromConverseUsage(u: ConverseUsage | undefined): TokenCounts | undefined {
  if (!u || !has(u.inputTokens)) return undefined;
  const written = n(u.cacheWriteInputTokens);
  // A loop, not filter + reduce: no arrays made per call (the same sum, in the same order).
  let w1h = 0;
  if (u.cacheDetails) for (const d of u.cacheDetails) if (d.ttl === '1h') w1h += n(d.inputTokens);
  const oneHour = Math.min(w1h, written);
  return withCache(
    n(u.inputTokens),
    n(u.outputTokens),
    n(u.cacheReadInputTokens),
    written - oneHour,
    oneHour,
  );
}

/** `amazon-bedrock-invocationMetrics` (the same meaning: input counts are uncached). */
export function tokensFromInvocationMetrics(
  m: InvocationMetrics | undefined,
): TokenCounts | undefined {
  if (!m || !has(m.inputTokenCount)) return undefined;
  return withCache(
    n(m.inputTokenCount),
    n(m.outputTokenCount),
    n(m.cacheReadInputTokenCount),
    n(m.cacheWriteInputTokenCount),
  );
}

/** The `x-amzn-bedrock-*-token-count` response headers InvokeModel sends for every model. */
export function tokensFromHeaders(
  h: Record<string, string | undefined> | undefined,
): TokenCounts | undefined {
  const input = headerCount(h, 'x-amzn-bedrock-input-token-count');
  if (input === undefined) return undefined;
  return withCache(
    input,
    headerCount(h, 'x-amzn-bedrock-output-token-count') ?? 0,
    headerCount(h, 'x-amzn-bedrock-cache-read-input-token-count') ?? 0,
    headerCount(h, 'x-amzn-bedrock-cache-write-input-token-count') ?? 0,
  );
}

const DIGITS = /^\d+$/;

function headerCount(
  h: Record<string, string | undefined> | undefined,
  name: string,
): number | undefined {
  const v = h?.[name];
  return v !== undefined && DIGITS.test(v) ? Number(v) : undefined;
}

/**
 * Usage from an InvokeModel response body, by its shape (an application inference-profile ARN
 * does not say which model family answers): Anthropic Messages (`usage.input_tokens`), Amazon Nova
 * (`usage.inputTokens`), OpenAI-style bodies of AI21 Jamba, Mistral, DeepSeek or gpt-oss
 * (`usage.prompt_tokens`), Amazon Titan (`inputTextTokenCount`), Meta Llama
 * (`prompt_token_count`). Undefined for bodies without usage (Cohere, Mistral 7B/8x7B, AI21
 * Jurassic, Claude 2 text completions): those take the response headers.
 */
export function tokensFromBody(body: Json): TokenCounts | undefined {
  const usage = obj(body.usage);
  if (usage && has(usage.input_tokens)) return tokensFromAnthropicUsage(usage as AnthropicUsage);
  if (usage && has(usage.inputTokens)) {
    return withCache(
      n(usage.inputTokens),
      n(usage.outputTokens),
      n(usage.cacheReadInputTokenCount),
      n(usage.cacheWriteInputTokenCount),
    );
  }
  if (usage && has(usage.prompt_tokens)) {
    const details = obj(usage.completion_tokens_details);
    const tokens: TokenCounts = {
      input: n(usage.prompt_tokens),
      output: n(usage.completion_tokens),
    };
    if (n(details?.reasoning_tokens)) tokens.reasoning = n(details?.reasoning_tokens);
    return tokens;
  }
  if (has(body.inputTextTokenCount)) {
    const results = Array.isArray(body.results) ? body.results : [];
    const output = results.reduce((s: number, r: unknown) => s + n(obj(r)?.tokenCount), 0);
    return { input: n(body.inputTextTokenCount), output };
  }
  if (has(body.prompt_token_count))
    return { input: n(body.prompt_token_count), output: n(body.generation_token_count) };
  return undefined;
}
