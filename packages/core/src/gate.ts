import type { TokenCounts } from '@burnrate/pricing';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { type AgentRun, currentAgentRun } from './agent-run.ts';
import {
  type AgentFacts,
  type Attribution,
  currentAgentFacts,
  currentAttribution,
} from './attribution.ts';
import { safely } from './fail-open.ts';
import { requestFingerprint } from './request-fingerprint.ts';
import { ATTR_GEN_AI_REQUEST_MAX_TOKENS, ATTR_GEN_AI_REQUEST_MODEL } from './semconv.ts';
import { startCallSpan } from './span-call.ts';

/**
 * Gates: code that decides, before a model call leaves the process, whether it may go ahead as
 * asked, go ahead changed (a lower output cap, a cheaper model), or not at all. Budgets
 * (`withBudget`, the evaluator-fed gates) register here; instrumentations consult the gates
 * before the network request and settle them with the call's actual cost afterwards.
 */
export interface ModelCallRequest {
  provider: string;
  operation: string;
  model: string | undefined;
  /** The output-token cap the caller asked for, if any. */
  maxOutputTokens: number | undefined;
  /** Counts the prompt's tokens locally; called only by a gate that needs it. */
  estimateInputTokens(): number;
  attribution: Attribution;
  /** The agent, conversation, session and tool of the call (explicit values first). */
  agent: AgentFacts;
  /** The agent run the call belongs to, if any. */
  run: AgentRun | undefined;
  /**
   * A short hash of the model and the newest part of the request (its last two messages or input
   * items): equal for a request repeated in a loop. Computed only when called.
   */
  fingerprint(): string;
}

export interface GateDecision {
  /** Refuse the call: this error is thrown before any network request. */
  block?: Error;
  /** Go ahead with at most this many output tokens. */
  maxOutputTokens?: number;
  /** Go ahead with this model instead. */
  model?: string;
  /** What the gate did, for the span (`burnrate.budget.*`). */
  attributes?: Attributes;
  /** The call finished: its actual cost (undefined when unpriced) and tokens. */
  settle?(actual: { usd: number | undefined; tokens: TokenCounts | undefined }): void;
  /** The call failed or was never made: release what was reserved. */
  release?(): void;
}

export type ModelCallGate = (request: ModelCallRequest) => GateDecision | undefined;

const gates = new Set<ModelCallGate>();
const pending = new WeakMap<Span, GateDecision[]>();
/** Spans in `pending` not yet settled or released: at 0 (no gates), no lookup per call. */
let pendingCount = 0;

/** Adds a gate; returns a function that removes it. */
export function registerModelCallGate(gate: ModelCallGate): () => void {
  gates.add(gate);
  return () => gates.delete(gate);
}

export function hasModelCallGates(): boolean {
  return gates.size > 0;
}

/**
 * Asks every gate. The first block wins; output caps combine to the lowest; the last model swap
 * wins. A gate that throws is ignored (fail open), except through its own `block`.
 */
export function consultGates(request: ModelCallRequest): GateDecision[] {
  const decisions: GateDecision[] = [];
  for (const gate of gates) {
    const d = safely('budget gate', () => gate(request));
    if (d) decisions.push(d);
    if (d?.block) break;
  }
  return decisions;
}

/** Merges decisions into what to do to the request. */
export function combineDecisions(decisions: readonly GateDecision[]): {
  block?: Error;
  maxOutputTokens?: number;
  model?: string;
  attributes: Attributes;
} {
  const out: { block?: Error; maxOutputTokens?: number; model?: string; attributes: Attributes } = {
    attributes: {},
  };
  for (const d of decisions) {
    if (d.block && !out.block) out.block = d.block;
    if (d.maxOutputTokens !== undefined) {
      out.maxOutputTokens = Math.min(
        out.maxOutputTokens ?? Number.POSITIVE_INFINITY,
        d.maxOutputTokens,
      );
    }
    if (d.model) out.model = d.model;
    Object.assign(out.attributes, d.attributes);
  }
  return out;
}

/** Links decisions to the call's span, to settle when its usage is recorded or it ends. */
export function attachDecisions(span: Span, decisions: readonly GateDecision[]): void {
  if (!decisions.length) return;
  if (!pending.has(span)) pendingCount++;
  pending.set(span, [...decisions]);
}

export function settleDecisions(
  span: Span,
  usd: number | undefined,
  tokens: TokenCounts | undefined,
): void {
  if (pendingCount === 0) return;
  const list = pending.get(span);
  if (!list) return;
  pending.delete(span);
  pendingCount--;
  settleEach(list, usd, tokens);
}

/** Apart from `settleDecisions`, so its closure's context is made only when there is a list. */
function settleEach(
  list: readonly GateDecision[],
  usd: number | undefined,
  tokens: TokenCounts | undefined,
): void {
  for (const d of list) safely('settling budget', () => d.settle?.({ usd, tokens }));
}

export function releaseDecisions(span: Span): void {
  if (pendingCount === 0) return;
  const list = pending.get(span);
  if (!list) return;
  pending.delete(span);
  pendingCount--;
  for (const d of list) safely('releasing budget', () => d.release?.());
}

export interface GateInput {
  provider: string;
  operation: string;
  model: string | undefined;
  maxOutputTokens: number | undefined;
  estimateInputTokens(): number;
  /** The caller's request (read only, for the fingerprint). */
  request?: unknown;
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

/** The request the gates are asked about, with the call's attribution, agent and run. */
export function modelCallRequest(
  g: Pick<
    GateInput,
    'provider' | 'operation' | 'model' | 'maxOutputTokens' | 'estimateInputTokens' | 'request'
  >,
): ModelCallRequest {
  return {
    provider: g.provider,
    operation: g.operation,
    model: g.model,
    maxOutputTokens: g.maxOutputTokens,
    estimateInputTokens: g.estimateInputTokens,
    attribution: currentAttribution(),
    agent: currentAgentFacts(),
    run: currentAgentRun(),
    fingerprint: () => requestFingerprint(g.model, g.request),
  };
}

/**
 * What every instrumentation does before a model call leaves the process: consults the gates; a
 * block ends a span with the error at once (the instrumentation then rejects without a network
 * request); a degrade is returned for the instrumentation to apply to a copy of its request, and
 * shown on the span's request attributes. Pass `decisions` on to `traceCall` so they settle.
 */
export function gateModelCall(tracer: Tracer, g: GateInput): Gated | undefined {
  if (!hasModelCallGates()) return undefined;
  const decisions = consultGates(modelCallRequest(g));
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
