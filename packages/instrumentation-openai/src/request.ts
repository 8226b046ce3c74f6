import { ATTR_GEN_AI_REQUEST_STREAM, requestParameterAttributes } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { RequestBody } from './types.ts';

export function asBody(body: unknown): RequestBody {
  return typeof body === 'object' && body !== null ? (body as RequestBody) : {};
}

/** Request attributes common to every operation. Never prompt text. */
export function commonRequestAttributes(body: unknown, attrs: Attributes = {}): Attributes {
  const b = asBody(body);
  const max = b.max_completion_tokens ?? b.max_tokens ?? b.max_output_tokens;
  requestParameterAttributes(attrs, b.model, max, b.temperature);
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

/** Where each operation takes its output-token cap. */
export type CapField = 'max_completion_tokens' | 'max_tokens' | 'max_output_tokens';

/** The output cap the caller asked for. */
export function requestedMaxTokens(body: unknown): number | undefined {
  const b = asBody(body);
  const max = b.max_completion_tokens ?? b.max_tokens ?? b.max_output_tokens;
  return typeof max === 'number' ? max : undefined;
}

/**
 * A copy of the body with a budget gate's changes: a lower output cap (in the field the caller used,
 * else the operation's own) and/or another model. The caller's object is never touched.
 */
export function applyGateChanges(
  body: unknown,
  changes: { maxOutputTokens?: number; model?: string },
  field: CapField,
): unknown {
  if (changes.maxOutputTokens === undefined && !changes.model) return body;
  const b = { ...asBody(body) } as Record<string, unknown>;
  if (changes.model) b.model = changes.model;
  if (changes.maxOutputTokens !== undefined) {
    const used = (['max_completion_tokens', 'max_tokens', 'max_output_tokens'] as const).find(
      (k) => typeof b[k] === 'number',
    );
    b[used ?? field] = changes.maxOutputTokens;
  }
  return b;
}
