import {
  type ForeignUsage,
  GEN_AI_OPERATION,
  num,
  semconvReader,
  str,
  type TokenCounts,
  type UsageReader,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import { resolveModel } from './provider.ts';

/** The AI SDK's built-in spans (ai 5.x/6.x `experimental_telemetry`, `@ai-sdk/otel`'s LegacyOpenTelemetry). */
const PROVIDER_CALL = /^ai\.[A-Za-z]+\.do(Generate|Stream|Embed|Rerank)$/;
const WRAPPER = /^ai\.[A-Za-z]+$/;

function first(attrs: Attributes, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = num(attrs[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

function operationOf(name: string): string {
  if (name.endsWith('.doEmbed')) return GEN_AI_OPERATION.EMBEDDINGS;
  if (name.endsWith('.doRerank')) return GEN_AI_OPERATION.RERANK;
  return GEN_AI_OPERATION.CHAT;
}

/**
 * Tokens of an `ai.*.do*` span. `ai.usage.inputTokens` is the total input (AI SDK 5+: cache reads
 * and writes included, detailed under `ai.usage.inputTokenDetails.*`); `ai.usage.outputTokens`
 * includes reasoning. Older releases used `promptTokens` / `completionTokens`; embeddings report
 * `ai.usage.tokens`.
 */
function legacyTokens(attrs: Attributes): TokenCounts | undefined {
  const input = first(attrs, [
    'ai.usage.inputTokens',
    'ai.usage.promptTokens',
    'ai.usage.tokens',
    'gen_ai.usage.input_tokens',
  ]);
  const output = first(attrs, [
    'ai.usage.outputTokens',
    'ai.usage.completionTokens',
    'gen_ai.usage.output_tokens',
  ]);
  if (input === undefined && output === undefined) return undefined;
  const tokens: TokenCounts = { input: input ?? 0, output: output ?? 0 };
  const cacheRead = first(attrs, [
    'ai.usage.inputTokenDetails.cacheReadTokens',
    'ai.usage.cachedInputTokens',
  ]);
  const cacheWrite = first(attrs, ['ai.usage.inputTokenDetails.cacheWriteTokens']);
  const reasoning = first(attrs, [
    'ai.usage.outputTokenDetails.reasoningTokens',
    'ai.usage.reasoningTokens',
  ]);
  if (cacheRead) tokens.cacheRead = cacheRead;
  if (cacheWrite) tokens.cacheWrite = cacheWrite;
  if (reasoning) tokens.reasoning = reasoning;
  return tokens;
}

function legacyUsage(name: string, attrs: Attributes): ForeignUsage | undefined {
  const aiProvider = str(attrs['ai.model.provider']) ?? str(attrs['gen_ai.system']);
  const tokens = legacyTokens(attrs);
  if (!aiProvider || !tokens) return undefined;
  const requestModel = str(attrs['gen_ai.request.model']) ?? str(attrs['ai.model.id']);
  const responseModel = str(attrs['gen_ai.response.model']) ?? str(attrs['ai.response.model']);
  const resolved = resolveModel(aiProvider, requestModel);
  return {
    provider: resolved.provider,
    operation: operationOf(name),
    requestModel: resolved.model,
    responseModel:
      responseModel && responseModel !== requestModel
        ? resolveModel(aiProvider, responseModel).model
        : undefined,
    tokens,
  };
}

/**
 * Reads the Vercel AI SDK's telemetry spans for BurnrateSpanProcessor, which prices them in
 * `onEnding` through the one pricing function:
 * - the built-in layout (ai 5.x/6.x, and `@ai-sdk/otel`'s LegacyOpenTelemetry on 7.x): only the
 *   provider-call spans (`ai.generateText.doGenerate`, `ai.streamText.doStream`,
 *   `ai.embed.doEmbed`, ...) are priced; the wrapper spans (`ai.generateText`, `ai.streamText`,
 *   `ai.embed`, ...) carry the same usage summed over steps and are skipped;
 * - `@ai-sdk/otel`'s OpenTelemetry (ai 7.x, GenAI conventions): the `chat {model}` and
 *   `embeddings {model}` call spans are priced by the conventions reader; the `invoke_agent` and
 *   `agent_step` spans, are skipped (and BurnrateSpanProcessor never prices a span whose descendant was priced).
 */
export const aiSdkUsageReader: UsageReader = (name, attrs) => {
  if (PROVIDER_CALL.test(name)) return legacyUsage(name, attrs) ?? 'skip';
  if (
    WRAPPER.test(name) &&
    (attrs['ai.operationId'] !== undefined || attrs['ai.model.provider'] !== undefined)
  )
    return 'skip';
  const op = attrs['gen_ai.operation.name'];
  if (op === 'invoke_agent' || op === 'agent_step') return 'skip';
  // `@ai-sdk/otel` names gateway calls `gateway` with an upstream `vendor/model` id: price them
  // as the upstream provider's model. Every other span is left to the conventions reader.
  const provider = str(attrs['gen_ai.provider.name']);
  const model = str(attrs['gen_ai.request.model']);
  if (provider?.toLowerCase().startsWith('gateway') && model?.includes('/')) {
    const usage = semconvReader(name, attrs);
    if (!usage || usage === 'skip') return usage;
    const resolved = resolveModel(provider, model);
    const response = usage.responseModel?.includes('/')
      ? resolveModel(provider, usage.responseModel).model
      : usage.responseModel;
    return {
      ...usage,
      provider: resolved.provider,
      requestModel: resolved.model,
      responseModel: response,
    };
  }
  return undefined;
};
