import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
} from '@burnrate/core';
import type { RequestBody } from './types.ts';

export function asBody(body: unknown): RequestBody {
  return typeof body === 'object' && body !== null ? (body as RequestBody) : {};
}

/** Request attributes common to every operation. Never prompt text. */
export function commonRequestAttributes(body: unknown): Attributes {
  const b = asBody(body);
  const attrs: Attributes = {};
  if (typeof b.model === 'string') attrs[ATTR_GEN_AI_REQUEST_MODEL] = b.model;
  const max = b.max_completion_tokens ?? b.max_tokens ?? b.max_output_tokens;
  if (typeof max === 'number') attrs[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = max;
  if (typeof b.temperature === 'number') attrs[ATTR_GEN_AI_REQUEST_TEMPERATURE] = b.temperature;
  if (b.stream === true) attrs[ATTR_GEN_AI_REQUEST_STREAM] = true;
  return attrs;
}

/**
 * For a stream the caller did not ask usage for, asks the provider for it
 * (`stream_options.include_usage`) on a copy of the body, and says to hide the usage-only chunk.
 */
export function withStreamUsage(
  body: unknown,
  enabled: boolean,
): { body: unknown; hideUsageChunk: boolean } | undefined {
  const b = asBody(body);
  if (!enabled || b.stream !== true || b.stream_options?.include_usage === true) return undefined;
  return {
    body: { ...b, stream_options: { ...(b.stream_options ?? {}), include_usage: true } },
    hideUsageChunk: true,
  };
}
