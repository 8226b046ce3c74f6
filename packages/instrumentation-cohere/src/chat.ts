import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  recordModelUsage,
} from '@burnrate/core';
import { asRequest, promptTokens, responseText } from './request.ts';
import type { ResponseLike } from './types.ts';
import { billedTokens, billedUnits } from './usage.ts';

export interface CallMeta {
  provider: string;
  request: unknown;
}

export function responseAttributes(call: CallSpan, r: ResponseLike | undefined): void {
  const id = r?.responseId ?? r?.id ?? r?.generationId;
  if (id) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, id);
  const reasons = r?.generations
    ? r.generations.map((g) => g.finishReason).filter((x): x is string => !!x)
    : r?.finishReason
      ? [r.finishReason]
      : [];
  if (reasons.length) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_FINISH_REASONS, reasons);
}

/**
 * Chat (v1 and v2) and generate: records the billed units, or, when a response carries none, a
 * local estimate marked `estimated`. Cohere's responses do not name the model that served them,
 * so the request model prices the call (a call without one is `unpriced`: its default model
 * depends on the API version and date).
 */
export function onChatResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as ResponseLike | undefined;
  const model = asRequest(meta.request).model;
  responseAttributes(call, r);
  const reported = billedTokens(billedUnits(r));
  recordModelUsage(call.span, {
    provider: meta.provider,
    requestModel: model,
    tokens: reported ?? {
      input: promptTokens(meta.request),
      output: countTextTokens(responseText(r), model),
    },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}
