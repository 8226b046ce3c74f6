import {
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  type CallSpan,
  countTextTokens,
  ModelStreamRecord,
  type ModelUsage,
  recordModelUsage,
  type TokenCounts,
  wrapCallStream,
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
  const signal = meta.options?.fetchOptions?.signal ?? meta.options?.signal;
  return wrapCallStream(call, value, new StreamRecord(call, meta), signal);
}

/** One stream's chunks: the usage in the last one, the model, id and finish reasons, or the text. */
class StreamRecord extends ModelStreamRecord<CompletionEventLike | undefined> {
  readonly #meta: CallMeta;
  readonly #model: string | undefined;
  readonly #reasons: string[] = [];
  #responseModel: string | undefined;
  #id: string | undefined;
  #tokens: TokenCounts | undefined;
  #text = '';

  constructor(call: CallSpan, meta: CallMeta) {
    super(call);
    this.#meta = meta;
    this.#model = asRequest(meta.request).model;
  }

  protected read(event: CompletionEventLike | undefined): void {
    const chunk = event?.data;
    if (!chunk) return;
    if (chunk.model) this.#responseModel = chunk.model;
    if (chunk.id) this.#id = chunk.id;
    finishReasons(chunk, this.#reasons);
    const tokens = tokensFromUsage(chunk.usage) ?? this.#tokens;
    this.#tokens = tokens;
    // The text is read only for a local count, when no chunk carried usage.
    if (!tokens) this.#text += choiceText(chunk.choices);
  }

  protected usage(): ModelUsage {
    const meta = this.#meta;
    const model = this.#model;
    const tokens = this.#tokens;
    const responseModel = this.#responseModel;
    return {
      attributes: responseAttributes(this.#id, this.#reasons),
      provider: meta.provider,
      requestModel: model,
      responseModel,
      tokens: tokens ?? {
        input: promptTokens(meta.request),
        output: countTextTokens(this.#text, responseModel ?? model),
      },
      source: tokens ? 'usage' : 'estimated',
    };
  }
}
