import {
  burnrateLogger,
  type CallSpan,
  countTextTokens,
  recordError,
  recordModelUsage,
  type StreamEnd,
  type StreamHooks,
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
  const wrapped = wrapStreamInPlace<ResponseLike>(
    value,
    new StreamRecord(call, meta),
    meta.options?.abortSignal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}

/**
 * One stream's hooks and what its events said: one object per stream rather than a closure per
 * hook and per end. `onChunk` is bound once, since the stream wrapper calls it detached.
 */
class StreamRecord implements StreamHooks<ResponseLike> {
  readonly onChunk: (event: ResponseLike | undefined) => undefined;
  readonly #call: CallSpan;
  readonly #meta: CallMeta;
  readonly #model: string | undefined;
  #tokens: TokenCounts | undefined;
  #final: ResponseLike | undefined;
  #id: string | undefined;
  #text = '';

  constructor(call: CallSpan, meta: CallMeta) {
    this.#call = call;
    this.#meta = meta;
    this.#model = asRequest(meta.request).model;
    this.onChunk = this.#read.bind(this);
  }

  #read(event: ResponseLike | undefined): undefined {
    const t = billedTokens(billedUnits(event));
    if (t) this.#tokens = t;
    // The text is read only for a local count, when no event carried billed units.
    if (!this.#tokens) this.#text += responseText(event);
    if (event?.eventType === 'stream-start' || event?.type === 'message-start')
      this.#id = event.generationId ?? event.id;
    if (event?.eventType === 'stream-end')
      this.#final = { ...event.response, finishReason: event.finishReason };
    if (event?.type === 'message-end') this.#final = { finishReason: event.delta?.finishReason };
    return undefined;
  }

  onEnd(end: StreamEnd): void {
    // Whatever recording does, the span ends: a pricing failure must not leave it open.
    try {
      const final = this.#final;
      const model = this.#model;
      const tokens = this.#tokens;
      recordModelUsage(this.#call.span, {
        // The final event's own id wins over the stream start's, as `{ id, ...final }` did.
        attributes: responseAttributes(
          final,
          final?.responseId ?? final?.id ?? this.#id ?? final?.generationId,
        ),
        provider: this.#meta.provider,
        requestModel: model,
        tokens: tokens ?? {
          input: promptTokens(this.#meta.request),
          output: countTextTokens(this.#text, model),
        },
        source: tokens ? 'usage' : 'estimated',
      });
    } catch (error) {
      burnrateLogger.warn(
        'recording stream usage failed; telemetry for this call may be incomplete',
        error,
      );
    }
    this.#call.end(end.error);
  }
}
