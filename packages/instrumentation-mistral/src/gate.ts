import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  combineDecisions,
  consultGates,
  currentAttribution,
  type GateDecision,
  hasModelCallGates,
  startCallSpan,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';

export interface GateInput {
  provider: string;
  operation: string;
  model: string | undefined;
  maxOutputTokens: number | undefined;
  estimateInputTokens(): number;
  /** The call's span name and attributes (changed in place to show what the gates did). */
  name: string;
  attributes: Attributes;
}

export interface Gated {
  decisions: readonly GateDecision[];
  /** Refused: nothing is sent, the caller gets this error. */
  blocked?: Error;
  /** Go ahead with this model / output cap instead of the caller's. */
  model?: string;
  maxOutputTokens?: number;
}

/**
 * Consults the budget gates (core's `registerModelCallGate`) before a call leaves the process.
 * A block ends a span with the error at once; a degrade is returned for the caller of this
 * function to apply to a copy of the request, and shown on the span's request attributes.
 */
export function consultBudgetGates(tracer: Tracer, g: GateInput): Gated | undefined {
  if (!hasModelCallGates()) return undefined;
  const decisions = consultGates({
    provider: g.provider,
    operation: g.operation,
    model: g.model,
    maxOutputTokens: g.maxOutputTokens,
    estimateInputTokens: g.estimateInputTokens,
    attribution: currentAttribution(),
  });
  if (!decisions.length) return undefined;
  const combined = combineDecisions(decisions);
  Object.assign(g.attributes, combined.attributes);
  if (combined.block) {
    startCallSpan({ tracer, name: g.name, attributes: g.attributes, decisions }).end(
      combined.block,
    );
    return { decisions, blocked: combined.block };
  }
  if (combined.model) g.attributes[ATTR_GEN_AI_REQUEST_MODEL] = combined.model;
  if (combined.maxOutputTokens !== undefined) {
    g.attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = combined.maxOutputTokens;
  }
  return { decisions, model: combined.model, maxOutputTokens: combined.maxOutputTokens };
}
