import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  recordError,
  recordModelUsage,
  safely,
  type TokenCounts,
  wrapStreamInPlace,
} from '@burnrate/core';
import { asRequest, choiceText, embeddingTexts, promptTokens } from './request.ts';
import type { CompletionEventLike, CompletionLike, RequestOptionsLike } from './types.ts';
import { tokensFromUsage } from './usage.ts';

export interface CallMeta {
  provider: string;
  request: unknown;
  options: RequestOptionsLike | undefined;
}

function responseAttributes(call: CallSpan, id: string | undefined, reasons: string[]): void {
  if (id) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, id);
  if (reasons.length) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_FINISH_REASONS, reasons);
}

function finishReasons(r: CompletionLike | undefined): string[] {
  return (r?.choices ?? []).map((c) => c.finishReason).filter((x): x is string => !!x);
}

/** chat.complete, fim.complete, agents.complete: usage, or a local estimate marked `estimated`. */
export function onCompleteResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as CompletionLike | undefined;
  const model = asRequest(meta.request).model;
  responseAttributes(call, r?.id, finishReasons(r));
  const reported = tokensFromUsage(r?.usage);
  recordModelUsage(call.span, {
    provider: meta.provider,
    requestModel: model,
    responseModel: r?.model,
    tokens: reported ?? {
      input: promptTokens(meta.request),
      output: countTextTokens(choiceText(r?.choices), r?.model ?? model),
    },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}

/** embeddings.create: reported prompt tokens, or a local count of the inputs. */
export function onEmbeddingsResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as CompletionLike | undefined;
  const model = asRequest(meta.request).model;
  if (r?.id) call.span.setAttribute(ATTR_GEN_AI_RESPONSE_ID, r.id);
  const reported = tokensFromUsage(r?.usage);
  const estimate = embeddingTexts(meta.request).reduce((n, t) => n + countTextTokens(t, model), 0);
  recordModelUsage(call.span, {
    provider: meta.provider,
    requestModel: model,
    responseModel: r?.model,
    tokens: { input: reported?.input ?? estimate, output: 0 },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}

/**
 * chat.stream, fim.stream, agents.stream: an EventStream of `{ data: chunk }`; Mistral sends the
 * usage in the last chunk. Wrapped in place (its async iterator), so the span ends exactly once:
 * at the end, on error, on `break`, or when the request's signal aborts.
 */
export function onStreamResult(call: CallSpan, value: unknown, meta: CallMeta): 'open' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const model = asRequest(meta.request).model;
  let responseModel: string | undefined;
  let id: string | undefined;
  let tokens: TokenCounts | undefined;
  const reasons: string[] = [];
  let text = '';
  const wrapped = wrapStreamInPlace<CompletionEventLike>(
    value,
    {
      onChunk(event) {
        const chunk = event?.data;
        if (!chunk) return undefined;
        if (chunk.model) responseModel = chunk.model;
        if (chunk.id) id = chunk.id;
        text += choiceText(chunk.choices);
        reasons.push(...finishReasons(chunk));
        tokens = tokensFromUsage(chunk.usage) ?? tokens;
        return undefined;
      },
      onEnd(end) {
        safely('recording stream usage', () => {
          responseAttributes(call, id, reasons);
          recordModelUsage(call.span, {
            provider: meta.provider,
            requestModel: model,
            responseModel,
            tokens: tokens ?? {
              input: promptTokens(meta.request),
              output: countTextTokens(text, responseModel ?? model),
            },
            source: tokens ? 'usage' : 'estimated',
          });
        });
        call.end(end.error);
      },
    },
    meta.options?.fetchOptions?.signal ?? meta.options?.signal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}
