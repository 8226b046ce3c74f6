import {
  contentText,
  countChatTokens,
  countTextTokens,
  requestParameterAttributes,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { ChoiceLike, RequestLike } from './types.ts';

export function asRequest(request: unknown): RequestLike {
  return typeof request === 'object' && request !== null ? (request as RequestLike) : {};
}

/** Request attributes, written into `attrs`. Never prompt text. */
export function requestAttributes(request: unknown, attrs: Attributes = {}): Attributes {
  const r = asRequest(request);
  return requestParameterAttributes(attrs, r.model, r.maxTokens, r.temperature);
}

/** Local count of a prompt, for a call that ended before Mistral reported usage (`estimated`). */
export function promptTokens(request: unknown): number {
  const r = asRequest(request);
  if (r.messages) return countChatTokens(r.messages, r.model);
  return countTextTokens(`${r.prompt ?? ''}${r.suffix ?? ''}`, r.model);
}

export function choiceText(choices: readonly ChoiceLike[] | undefined): string {
  let text = '';
  for (const c of choices ?? []) text += contentText(c.message?.content ?? c.delta?.content);
  return text;
}

/** Texts of an embeddings request (`inputs`: a string or a list of strings). */
export function embeddingTexts(request: unknown): string[] {
  const inputs = asRequest(request).inputs;
  const list = Array.isArray(inputs) ? inputs : [inputs];
  return list.filter((t): t is string => typeof t === 'string');
}
