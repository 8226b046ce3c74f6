import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
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
import type { Attributes } from '@opentelemetry/api';
import { asRequest, choiceText, embeddingTexts, promptTokens } from './request.ts';
import type { CompletionEventLike, CompletionLike, RequestOptionsLike } from './types.ts';
import { tokensFromUsage } from './usage.ts';

export interface CallMeta {
  provider: string;
  request: unknown;
  options: RequestOptionsLike | undefined;
}

/** The response's id and finish reasons, set with its usage in one `setAttributes`. */
function responseAttributes(id: string | undefined, reasons: string[]): Attributes {
  const attrs: Attributes = {};
  if (id) attrs[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (reasons.length) attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = reasons;
  return attrs;
}

/** Appends the finish reasons of a response or chunk to `into` (no arrays made per chunk). */
function finishReasons(r: CompletionLike | undefined, into: string[] = []): string[] {
  const choices = r?.choices;
  if (choices) for (const c of choices) if (c.finishReason) into.push(c.finishReason);
  return into;
}

/** chat.complete, fim.complete, agents.complete: usage, or a local estimate marked `estimated`. */
export function onCompleteResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as CompletionLike | undefined;
  const model = asRequest(meta.request).model;
  const reported = tokensFromUsage(r?.usage);
  recordModelUsage(call.span, {
    attributes: responseAttributes(r?.id, finishReasons(r)),
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
  const reported = tokensFromUsage(r?.usage);
  const attributes: Attributes = {};
  if (r?.id) attributes[ATTR_GEN_AI_RESPONSE_ID] = r.id;
  // The inputs are counted locally only when Mistral reported no usage.
  let input = reported?.input;
  if (input === undefined) {
    input = 0;
    for (const t of embeddingTexts(meta.request)) input += countTextTokens(t, model);
  }
  recordModelUsage(call.span, {
    attributes,
    provider: meta.provider,
    requestModel: model,
    responseModel: r?.model,
    tokens: { input, output: 0 },
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
  const wrapped = wrapStreamInPlace<CompletionEventLike>(
    value,
    new StreamRecord(call, meta),
    meta.options?.fetchOptions?.signal ?? meta.options?.signal,
  );
  if (!wrapped) recordError(call.span, new Error('unrecognised stream shape'));
  return wrapped ? 'open' : undefined;
}

/**
 * One stream's hooks and what its chunks said: one object per stream rather than a closure per
 * hook and per end. `onChunk` is bound once, since the stream wrapper calls it detached.
 */
class StreamRecord implements StreamHooks<CompletionEventLike> {
  readonly onChunk: (event: CompletionEventLike | undefined) => undefined;
  readonly #call: CallSpan;
  readonly #meta: CallMeta;
  readonly #model: string | undefined;
  readonly #reasons: string[] = [];
  #responseModel: string | undefined;
  #id: string | undefined;
  #tokens: TokenCounts | undefined;
  #text = '';

  constructor(call: CallSpan, meta: CallMeta) {
    this.#call = call;
    this.#meta = meta;
    this.#model = asRequest(meta.request).model;
    this.onChunk = this.#read.bind(this);
  }

  #read(event: CompletionEventLike | undefined): undefined {
    const chunk = event?.data;
    if (!chunk) return undefined;
    if (chunk.model) this.#responseModel = chunk.model;
    if (chunk.id) this.#id = chunk.id;
    finishReasons(chunk, this.#reasons);
    const tokens = tokensFromUsage(chunk.usage) ?? this.#tokens;
    this.#tokens = tokens;
    // The text is read only for a local count, when no chunk carried usage.
    if (!tokens) this.#text += choiceText(chunk.choices);
    return undefined;
  }

  onEnd(end: StreamEnd): void {
    // Whatever recording does, the span ends: a pricing failure must not leave it open.
    try {
      const meta = this.#meta;
      const model = this.#model;
      const tokens = this.#tokens;
      const responseModel = this.#responseModel;
      recordModelUsage(this.#call.span, {
        attributes: responseAttributes(this.#id, this.#reasons),
        provider: meta.provider,
        requestModel: model,
        responseModel,
        tokens: tokens ?? {
          input: promptTokens(meta.request),
          output: countTextTokens(this.#text, responseModel ?? model),
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
