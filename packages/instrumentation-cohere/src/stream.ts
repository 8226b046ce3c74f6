import {
  type CallSpan,
  countTextTokens,
  ModelStreamRecord,
  type ModelUsage,
  type TokenCounts,
  wrapCallStream,
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
  return wrapCallStream(call, value, new StreamRecord(call, meta), meta.options?.abortSignal);
}

/** One stream's events: the billed units, the final event's reason and id, or the text. */
class StreamRecord extends ModelStreamRecord<ResponseLike | undefined> {
  readonly #meta: CallMeta;
  readonly #model: string | undefined;
  #tokens: TokenCounts | undefined;
  #final: ResponseLike | undefined;
  #id: string | undefined;
  #text = '';

  constructor(call: CallSpan, meta: CallMeta) {
    super(call);
    this.#meta = meta;
    this.#model = asRequest(meta.request).model;
  }

  protected read(event: ResponseLike | undefined): void {
    const t = billedTokens(billedUnits(event));
    if (t) this.#tokens = t;
    // The text is read only for a local count, when no event carried billed units.
    if (!this.#tokens) this.#text += responseText(event);
    if (event?.eventType === 'stream-start' || event?.type === 'message-start')
      this.#id = event.generationId ?? event.id;
    if (event?.eventType === 'stream-end')
      this.#final = { ...event.response, finishReason: event.finishReason };
    if (event?.type === 'message-end') this.#final = { finishReason: event.delta?.finishReason };
  }

  protected usage(): ModelUsage {
    const final = this.#final;
    const model = this.#model;
    const tokens = this.#tokens;
    return {
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
    };
  }
}
