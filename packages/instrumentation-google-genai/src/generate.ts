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
import { asParams, promptTokens, responseText } from './request.ts';
import type { GenerateResponseLike } from './types.ts';
import { tokensFromUsage } from './usage.ts';

export interface CallMeta {
  provider: string;
  params: unknown;
}

/** The response's id and finish reasons, set with its usage in one `setAttributes`. */
function responseAttributes(r: GenerateResponseLike | undefined): Attributes {
  const attrs: Attributes = {};
  if (r?.responseId) attrs[ATTR_GEN_AI_RESPONSE_ID] = r.responseId;
  const candidates = r?.candidates;
  if (!candidates?.length) return attrs;
  const reasons: string[] = [];
  for (const c of candidates) if (c.finishReason) reasons.push(c.finishReason);
  if (reasons.length) attrs[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = reasons;
  return attrs;
}

/** One `generateContent` HTTP call: records its `usageMetadata` (or a local estimate). */
export function onGenerateResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as GenerateResponseLike | undefined;
  const model = asParams(meta.params).model;
  const reported = tokensFromUsage(r?.usageMetadata);
  recordModelUsage(call.span, {
    attributes: responseAttributes(r),
    provider: meta.provider,
    requestModel: model,
    responseModel: r?.modelVersion,
    tokens: reported ?? {
      input: promptTokens(meta.params),
      output: countTextTokens(responseText(r), r?.modelVersion ?? model),
    },
    source: reported ? 'usage' : 'estimated',
  });
  return undefined;
}

/**
 * One `streamGenerateContent` HTTP call: the SDK hands back an async generator of responses, each
 * carrying the running `usageMetadata`; the last one seen is the call's usage. The generator is
 * wrapped in place, so the span ends exactly once: at the end, on error, on `break`, or on abort.
 */
export function onStreamResult(call: CallSpan, value: unknown, meta: CallMeta): 'open' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const signal = asParams(meta.params).config?.abortSignal;
  return wrapCallStream(call, value, new StreamRecord(call, meta), signal);
}

/** One stream's responses: the last one's running usage, model and reasons, or the text. */
class StreamRecord extends ModelStreamRecord<GenerateResponseLike | undefined> {
  readonly #meta: CallMeta;
  #last: GenerateResponseLike | undefined;
  #model: string | undefined;
  #tokens: TokenCounts | undefined;
  #text = '';

  constructor(call: CallSpan, meta: CallMeta) {
    super(call);
    this.#meta = meta;
  }

  protected read(chunk: GenerateResponseLike | undefined): void {
    this.#last = chunk;
    if (chunk?.modelVersion) this.#model = chunk.modelVersion;
    const tokens = tokensFromUsage(chunk?.usageMetadata) ?? this.#tokens;
    this.#tokens = tokens;
    // The text is read only for a local count, when no chunk carried usage.
    if (!tokens) this.#text += responseText(chunk);
  }

  protected usage(): ModelUsage {
    const meta = this.#meta;
    const requestModel = asParams(meta.params).model;
    const model = this.#model;
    const tokens = this.#tokens;
    return {
      attributes: responseAttributes(this.#last),
      provider: meta.provider,
      requestModel,
      responseModel: model,
      tokens: tokens ?? {
        input: promptTokens(meta.params),
        output: countTextTokens(this.#text, model ?? requestModel),
      },
      source: tokens ? 'usage' : 'estimated',
    };
  }
}
