import { type GateDecision, type ModelCallRequest, registerModelCallGate } from '@burnrate/core';
import { ensureBreakerGate } from './breaker.ts';
import type { EvaluatorGate } from './evaluator/decide.ts';
import { currentFrame } from './frames.ts';
import { decideInScope } from './local-gate.ts';

let unregister: (() => void) | undefined;
let evaluator: EvaluatorGate | undefined;

/**
 * Burnrate's one budget gate: first the evaluator's fleet-wide budgets (cached states), then the
 * `withBudget` scopes in force, which see the call as the evaluator's degrade left it.
 */
export function budgetGate(req: ModelCallRequest): GateDecision | undefined {
  const ev = evaluator?.decide(req);
  if (ev?.block) return { block: ev.block, attributes: ev.attributes };
  const frame = currentFrame();
  if (!frame) {
    if (!ev) return undefined;
    return { attributes: ev.attributes, model: ev.model, maxOutputTokens: ev.maxOutputTokens };
  }
  const model = ev?.model ?? req.model;
  let cap = req.maxOutputTokens;
  if (ev?.maxOutputTokens !== undefined) cap = ev.maxOutputTokens;
  const local = decideInScope(req, frame, { model, cap });
  if (!ev) return local;
  local.attributes = { ...ev.attributes, ...local.attributes };
  if (!local.block) {
    local.model ??= ev.model;
    local.maxOutputTokens ??= ev.maxOutputTokens;
  }
  return local;
}

/**
 * Registers the gate with core once (first `withBudget`, or when evaluator gates start). The
 * breaker's gate goes first (it does nothing until configured): a call it refuses reserves nothing.
 */
export function ensureBudgetGate(): void {
  ensureBreakerGate();
  unregister ??= registerModelCallGate(budgetGate);
}

/** Installs (or removes, with undefined) the evaluator-fed part of the gate. */
export function setEvaluatorGate(gate: EvaluatorGate | undefined): void {
  evaluator = gate;
  if (gate) ensureBudgetGate();
}

/** Unregisters the gate (tests and shutdown). `withBudget` registers it again when used. */
export function removeBudgetGate(): void {
  unregister?.();
  unregister = undefined;
  evaluator = undefined;
}
