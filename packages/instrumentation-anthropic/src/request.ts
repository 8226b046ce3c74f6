import {
  ATTR_GEN_AI_REQUEST_STREAM,
  type ChatMessageLike,
  contentText,
  countChatTokens,
  requestParameterAttributes,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { RequestBody } from './types.ts';

export function asBody(body: unknown): RequestBody {
  return typeof body === 'object' && body !== null ? (body as RequestBody) : {};
}

/** Request attributes of a Messages call, written into `attrs`. Never prompt text. */
export function requestAttributes(body: unknown, attrs: Attributes = {}): Attributes {
  const b = asBody(body);
  requestParameterAttributes(attrs, b.model, b.max_tokens, b.temperature);
  if (b.stream === true) attrs[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return attrs;
}

/** A local count of the prompt, for a response that carries no usage (marked `estimated`). */
export function promptTokens(body: unknown): number {
  const b = asBody(body);
  const messages: ChatMessageLike[] = (b.messages ?? []).map((m) => ({
    role: m.role,
    content: m.content,
  }));
  const system = contentText(b.system);
  if (system) messages.unshift({ role: 'system', content: system });
  return countChatTokens(messages, b.model);
}
