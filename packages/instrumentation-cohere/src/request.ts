import { contentText, countTextTokens, requestParameterAttributes } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { RequestLike, ResponseLike } from './types.ts';

export function asRequest(request: unknown): RequestLike {
  return typeof request === 'object' && request !== null ? (request as RequestLike) : {};
}

/** Request attributes, written into `attrs`. Never prompt text. */
export function requestAttributes(request: unknown, attrs: Attributes = {}): Attributes {
  const r = asRequest(request);
  return requestParameterAttributes(attrs, r.model, r.maxTokens, r.temperature);
}

/** Local count of a request's prompt, for a call that ended before Cohere reported usage. */
export function promptTokens(request: unknown): number {
  const r = asRequest(request);
  let text = `${r.preamble ?? ''}${r.message ?? ''}${r.prompt ?? ''}`;
  for (const m of r.chatHistory ?? []) text += m.message ?? '';
  for (const m of r.messages ?? []) text += contentText(m.content);
  return countTextTokens(text, r.model);
}

/** Generated text of a response or stream event (v1 chat / generate, v2 chat, their stream deltas). */
export function responseText(r: ResponseLike | undefined): string {
  if (!r) return '';
  if (r.type === 'content-delta') return r.delta?.message?.content?.text ?? '';
  if (r.eventType === 'text-generation') return r.text ?? '';
  if (r.eventType || r.type) return '';
  if (typeof r.text === 'string') return r.text;
  if (r.generations) return r.generations.map((g) => g.text ?? '').join('');
  return (r.message?.content ?? []).map((c) => c.text ?? '').join('');
}
