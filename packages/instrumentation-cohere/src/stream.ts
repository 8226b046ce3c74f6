import {
  type CallSpan,
  countTextTokens,
  recordError,
  recordModelUsage,
  safely,
  type TokenCounts,
  wrapStreamInPlace,
} from '@burnrate/core';
import { type CallMeta, responseAttributes } from './chat.ts';
import { asRequest, promptTokens, responseText } from './request.ts';
import type { RequestOptionsLike, ResponseLike } from './types.ts';
import { billedTokens, billedUnits } from './usage.ts';

/**
 * `chatStream` (v1 and v2) and `generateStream`: the SDK resolves to a Stream of events; the
 * billed units arrive in the last one (v1 `stream-end`, v2 `message-end`). The stream is wrapped
 * in place, so the span ends exactly once: at the end, on error, on `break`, or on abort.
 */
export function onStreamResult(
  call: CallSpan,
  value: unknown,
  meta: CallMeta & { options: RequestOptionsLike | undefined },
): 'open' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const model = asRequest(meta.request).model;
  let tokens: TokenCounts | undefined;
  let final: ResponseLike | undefined;
  let id: string | undefined;
  let text = '';
  const wrapped = wrapStreamInPlace<ResponseLike>(
    value,
    {
      onChunk(event) {
        const t = billedTokens(billedUnits(event));
        if (t) tokens = t;
        // The text is read only for a local count, when no event carried billed units.
        if (!tokens) text += responseText(event);
        if (event?.eventType === 'stream-start' || event?.type === 'message-start')
          id = event.generationId ?? event.id;
        if (event?.eventType === 'stream-end')
          final = { ...event.response, finishReason: event.finishReason };
        if (event?.type === 'message-end') final = { finishReason: event.delta?.finishReason };
        return undefined;
      },
      onEnd(end) {
        safely('recording stream usage', () => {
          recordModelUsage(call.span, {
            // The final event's own id wins over the stream start's, as `{ id, ...final }` did.
            attributes: responseAttributes(
              final,
              final?.responseId ?? final?.id ?? id ?? final?.generationId,
            ),
            provider: meta.provider,
            requestModel: model,
            tokens: tokens ?? {
              input: promptTokens(meta.request),
              output: countTextTokens(text, model),
            },
            source: tokens ? 'usage' : 'estimated',
          });
        });
        call.end(end.error);
      },
    },
    meta.options?.abortSignal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}
