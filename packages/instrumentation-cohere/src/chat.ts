import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  recordModelUsage,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import { asRequest, promptTokens, responseText } from './request.ts';
import type { ResponseLike } from './types.ts';
import { billedTokens, billedUnits } from './usage.ts';

export interface CallMeta {
  provider: string;
  request: unknown;
}

/** The response's id and finish reasons, set with its usage in one `setAttributes`. */
export function responseAttributes(
  r: ResponseLike | undefined,
  id = r?.responseId ?? r?.id ?? r?.generationId,
): Attributes {
  const attrs: Attributes = {};
  if (id) attrs[ATTR_GEN_AI_RESPONSE_ID] = id;
  const reasons = r?.generations
    ? r.generations.map((g) => g.finishReason).filter((x): x is string => !!x)
    : r?.finishReason
      ? [r.finishReason]
      : [];
  if (reasons.length) attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = reasons;
  return attrs;
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
  const reported = billedTokens(billedUnits(r));
  recordModelUsage(call.span, {
    attributes: responseAttributes(r),
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
