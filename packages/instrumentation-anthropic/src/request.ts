import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  type ChatMessageLike,
  contentText,
  countChatTokens,
} from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { RequestBody } from './types.ts';

export function asBody(body: unknown): RequestBody {
  return typeof body === 'object' && body !== null ? (body as RequestBody) : {};
}

/** Request attributes of a Messages call, written into `attrs`. Never prompt text. */
export function requestAttributes(body: unknown, attrs: Attributes = {}): Attributes {
  const b = asBody(body);
  if (typeof b.model === 'string') attrs[ATTR_GEN_AI_REQUEST_MODEL] = b.model;
  if (typeof b.max_tokens === 'number') attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = b.max_tokens;
  if (typeof b.temperature === 'number') attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = b.temperature;
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
