import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  combineDecisions,
  consultGates,
  currentAttribution,
  type GateDecision,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  hasModelCallGates,
  startCallSpan,
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
  if (!hasModelCallGates()) return undefined;
  const b = asBody(body);
  const decisions = consultGates({
    provider: GEN_AI_PROVIDER.ANTHROPIC,
    operation: GEN_AI_OPERATION.CHAT,
    model: b.model,
    maxOutputTokens: typeof b.max_tokens === 'number' ? b.max_tokens : undefined,
    estimateInputTokens: () => promptTokens(body),
    attribution: currentAttribution(),
  });
  if (!decisions.length) return undefined;
  const combined = combineDecisions(decisions);
  Object.assign(attributes, combined.attributes);
  if (combined.block) {
    startCallSpan({ tracer, name, attributes, decisions }).end(combined.block);
    return { body, decisions, blocked: combined.block };
  }
  if (!combined.model && combined.maxOutputTokens === undefined) return { body, decisions };
  const changed: Record<string, unknown> = { ...b };
  if (combined.model) {
    changed.model = combined.model;
    attributes[ATTR_GEN_AI_REQUEST_MODEL] = combined.model;
  }
  if (combined.maxOutputTokens !== undefined) {
    changed.max_tokens = combined.maxOutputTokens;
    attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = combined.maxOutputTokens;
  }
  return { body: changed, decisions };
}
