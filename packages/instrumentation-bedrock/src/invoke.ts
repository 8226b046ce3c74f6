import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  GEN_AI_PROVIDER,
  type ModelUsage,
  recordModelUsage,
  type TokenCounts,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import { generatedText, parseJsonBody, promptTokens } from './body.ts';
import type { Json } from './types.ts';
import { tokensFromBody, tokensFromHeaders } from './usage.ts';

/** What the result handlers read of an InvokeModel* call (the call's own object: no copy made). */
export interface InvokeInfo {
  readonly modelId: string;
  readonly request: Json | undefined;
  /** InvokeModel's token-count response headers, copied here by the header middleware. */
  readonly headers?: Record<string, string | undefined>;
  readonly signal?: AbortSignal;
}

export function record(
  call: CallSpan,
  modelId: string,
  tokens: TokenCounts | undefined,
  source: 'usage' | 'estimated',
  attributes: Attributes,
): void {
  recordModelUsage(call.span, bedrockUsage(modelId, tokens, source, attributes));
}

/** A Bedrock call's usage as `recordModelUsage` takes it. */
export function bedrockUsage(
  modelId: string,
  tokens: TokenCounts | undefined,
  source: 'usage' | 'estimated',
  attributes: Attributes,
): ModelUsage {
  return {
    attributes,
    provider: GEN_AI_PROVIDER.AWS_BEDROCK,
    requestModel: modelId,
    tokens,
    source,
  };
}

/** The response's id and finish reason, set with its usage in one `setAttributes`. */
export function responseAttributes(id: unknown, reason: string | undefined): Attributes {
  const attrs: Attributes = {};
  if (typeof id === 'string') attrs[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (reason) attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [reason];
  return attrs;
}

export function finishReason(body: Json): string | undefined {
  const r = body.stop_reason ?? body.stopReason ?? body.completionReason ?? body.finish_reason;
  return typeof r === 'string' ? r : undefined;
}

/**
 * InvokeModel: usage from the body where the model reports it (it has the cache split), else
 * from the token-count headers Bedrock sends for every model, else counted locally (`estimated`).
 */
export function onInvokeResult(call: CallSpan, value: unknown, info: InvokeInfo): undefined {
  const body = parseJsonBody((value as { body?: unknown } | undefined)?.body) ?? {};
  const attributes = responseAttributes(body.id, finishReason(body));
  const reported = tokensFromBody(body) ?? tokensFromHeaders(info.headers);
  if (reported) record(call, info.modelId, reported, 'usage', attributes);
  else {
    const output = countTextTokens(generatedText(body), info.modelId);
    const input = promptTokens(info.request, info.modelId);
    record(call, info.modelId, { input, output }, 'estimated', attributes);
  }
  return undefined;
}
