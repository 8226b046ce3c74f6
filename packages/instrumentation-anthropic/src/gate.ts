import {
  type GateDecision,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  gateModelCall,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { asBody, promptTokens } from './request.ts';

export interface Gated {
  /** The body to send: the caller's, or a changed copy. */
  body: unknown;
  decisions: readonly GateDecision[];
  /** Set when a gate refused the call: reject with it, send nothing. */
  blocked?: Error;
}

/**
 * Consults the budget gates before a Messages request leaves. A block becomes a span with the
 * error (no request is sent); a degrade changes a copy of the body (`max_tokens`, `model`) and
 * says so on the span. Undefined when no gate acts on the call.
 */
export function gateMessagesCall(
  tracer: Tracer,
  body: unknown,
  name: string,
  attributes: Attributes,
): Gated | undefined {
  const b = asBody(body);
  const gated = gateModelCall(tracer, {
    provider: GEN_AI_PROVIDER.ANTHROPIC,
    operation: GEN_AI_OPERATION.CHAT,
    model: b.model,
    maxOutputTokens: typeof b.max_tokens === 'number' ? b.max_tokens : undefined,
    estimateInputTokens: () => promptTokens(body),
    request: body,
    name,
    attributes,
  });
  if (!gated) return undefined;
  if (gated.blocked) return { body, decisions: gated.decisions, blocked: gated.blocked };
  if (!gated.model && gated.maxOutputTokens === undefined)
    return { body, decisions: gated.decisions };
  const changed: Record<string, unknown> = { ...b };
  if (gated.model) changed.model = gated.model;
  if (gated.maxOutputTokens !== undefined) changed.max_tokens = gated.maxOutputTokens;
  return { body: changed, decisions: gated.decisions };
}
