import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  GEN_AI_PROVIDER,
  recordError,
  recordModelUsage,
  type TokenCounts,
  wrapStreamInPlace,
} from '@burnrate/core';
import { MessageStreamReader, type StreamEvent } from '@burnrate/instrumentation-anthropic';
import type { Attributes } from '@opentelemetry/api';
import { generatedText, parseJsonBody, promptTokens } from './body.ts';
import type { InvocationMetrics, Json } from './types.ts';
import { tokensFromBody, tokensFromHeaders, tokensFromInvocationMetrics } from './usage.ts';
import type { HeaderSlot } from './usage-headers.ts';

export interface InvokeInfo {
  modelId: string;
  request: Json | undefined;
  slot: HeaderSlot;
  signal?: AbortSignal;
}

function record(
  call: CallSpan,
  info: InvokeInfo,
  tokens: TokenCounts | undefined,
  source: 'usage' | 'estimated',
  attributes: Attributes,
): void {
  recordModelUsage(call.span, {
    attributes,
    provider: GEN_AI_PROVIDER.AWS_BEDROCK,
    requestModel: info.modelId,
    tokens,
    source,
  });
}

/** The response's id and finish reason, set with its usage in one `setAttributes`. */
function responseAttributes(id: unknown, reason: string | undefined): Attributes {
  const attrs: Attributes = {};
  if (typeof id === 'string') attrs[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (reason) attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [reason];
  return attrs;
}

function finishReason(body: Json): string | undefined {
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
  const reported = tokensFromBody(body) ?? tokensFromHeaders(info.slot.headers);
  if (reported) record(call, info, reported, 'usage', attributes);
  else {
    const output = countTextTokens(generatedText(body), info.modelId);
    const input = promptTokens(info.request, info.modelId);
    record(call, info, { input, output }, 'estimated', attributes);
  }
  return undefined;
}

interface ResponseStreamEvent {
  chunk?: { bytes?: Uint8Array };
}

/**
 * InvokeModelWithResponseStream: wraps the output's event stream in place. Every model's last
 * chunk carries `amazon-bedrock-invocationMetrics` (the billed counts); Anthropic Messages events
 * are read too, so a stream cut short still has Claude's input usage. The span ends exactly once.
 */
export function onInvokeStreamResult(
  call: CallSpan,
  value: unknown,
  info: InvokeInfo,
): 'open' | undefined {
  const stream = (value as { body?: unknown } | undefined)?.body;
  if (typeof stream !== 'object' || stream === null) return undefined;
  const claude = new MessageStreamReader();
  let metrics: InvocationMetrics | undefined;
  let reason: string | undefined;
  let text = '';
  const wrapped = wrapStreamInPlace<ResponseStreamEvent>(
    stream,
    {
      onChunk(event) {
        const chunk = parseJsonBody(event?.chunk?.bytes);
        if (!chunk) return undefined;
        const m = chunk['amazon-bedrock-invocationMetrics'];
        if (typeof m === 'object' && m !== null) metrics = m as InvocationMetrics;
        if (typeof chunk.type === 'string') claude.onEvent(chunk as StreamEvent);
        reason = finishReason(chunk) ?? reason;
        text += generatedText(chunk);
        return undefined;
      },
      onEnd(end) {
        const attributes = responseAttributes(claude.id || undefined, claude.stopReason ?? reason);
        const fromMetrics = tokensFromInvocationMetrics(metrics);
        const fromClaude = claude.result(info.modelId);
        if (fromMetrics) {
          // Claude's events split cache writes by TTL; the metrics do not: prefer the events when final.
          record(
            call,
            info,
            fromClaude?.source === 'usage' ? fromClaude.tokens : fromMetrics,
            'usage',
            attributes,
          );
        } else if (fromClaude) {
          record(call, info, fromClaude.tokens, fromClaude.source, attributes);
        } else {
          const tokens = {
            input: promptTokens(info.request, info.modelId),
            output: countTextTokens(text, info.modelId),
          };
          record(call, info, tokens, 'estimated', attributes);
        }
        call.end(end.error);
      },
    },
    info.signal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}
