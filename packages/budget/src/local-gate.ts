import { currentPricer, type GateDecision, type ModelCallRequest, safely } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_BUDGET_CHANGED,
  ATTR_BUDGET_DECISION,
  ATTR_BUDGET_LIMIT_USD,
  ATTR_BUDGET_NAME,
  ATTR_BUDGET_ORIGINAL_MAX_TOKENS,
  ATTR_BUDGET_ORIGINAL_MODEL,
  ATTR_BUDGET_REASON,
  ATTR_BUDGET_RESERVED_TOKENS,
  ATTR_BUDGET_RESERVED_USD,
  ATTR_BUDGET_SPENT_USD,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_SESSION_ID,
} from './attributes.ts';
import type { Budget, Reservation } from './budget.ts';
import type { BudgetExceededError } from './errors.ts';
import { type BudgetFrame, budgetChain } from './frames.ts';
import { toNano, toUsd } from './money.ts';
import { fits, type PlannedCall, planCall, refuse, worstCase } from './plan.ts';

/** The call as earlier gates (the evaluator's) left it. */
export interface CallShape {
  model: string | undefined;
  cap: number | undefined;
}

export function scopeAttributes(frame: BudgetFrame): Attributes {
  const attrs: Attributes = {};
  if (frame.session) attrs[ATTR_SESSION_ID] = frame.session;
  if (frame.agent) attrs[ATTR_GEN_AI_AGENT_NAME] = frame.agent;
  return attrs;
}

/** Counts a refusal in a budget and tells its `onExceeded` callback (fail open). */
export function notify(budget: Budget, error: BudgetExceededError): void {
  budget.countBlocked();
  const cb = budget.options.onExceeded;
  if (cb) safely('budget onExceeded callback', () => cb(error));
}

/**
 * Decides a call against every budget in scope (innermost first): the first refusal wins; a
 * degrade changes the call for the budgets after it. Then reserves the final call's worst case
 * in every budget, synchronously, so calls in flight together never overrun any of them.
 */
export function decideInScope(
  req: ModelCallRequest,
  frame: BudgetFrame,
  start: CallShape,
): GateDecision {
  const attributes = scopeAttributes(frame);
  const budgets = budgetChain(frame).filter((b) => b.limited);
  if (!budgets.length) return { attributes };
  const pricer = currentPricer();
  const inputTokens = safely('counting prompt tokens', () => req.estimateInputTokens()) ?? 0;
  const call: PlannedCall = {
    provider: req.provider,
    operation: req.operation,
    model: start.model,
    cap: start.cap,
    inputTokens,
  };
  const changed = new Set<string>();
  let reason = 'within_budget';
  for (const budget of budgets) {
    const plan = planCall(budget, pricer, call);
    if (plan.kind === 'block') {
      notify(budget, plan.error);
      Object.assign(attributes, {
        [ATTR_BUDGET_NAME]: budget.name,
        [ATTR_BUDGET_DECISION]: 'block',
        [ATTR_BUDGET_REASON]: `over_limit_${plan.error.kind}`,
        ...figures(budget),
      });
      return { block: plan.error, attributes };
    }
    if (plan.kind === 'degrade') {
      budget.countDegraded();
      call.model = plan.model;
      if (plan.changed.includes('max_tokens')) call.cap = plan.cap;
      for (const c of plan.changed) changed.add(c);
      reason = 'soft_limit';
    } else if (plan.reason !== 'within_budget' && reason === 'within_budget') {
      reason = plan.reason;
    }
  }
  // Reserve the final call in every budget; a swap one budget made may not fit another.
  const reservations: Reservation[] = [];
  for (const budget of budgets) {
    const w = worstCase(budget, pricer, call);
    const over = fits(budget, w);
    if (over) {
      for (const r of reservations) r.release();
      const error = refuse(budget, call, w, over);
      notify(budget, error);
      Object.assign(attributes, {
        [ATTR_BUDGET_NAME]: budget.name,
        [ATTR_BUDGET_DECISION]: 'block',
        [ATTR_BUDGET_REASON]: `over_limit_${over}`,
        ...figures(budget),
      });
      return { block: error, attributes };
    }
    reservations.push(budget.reserve(w.nano ?? 0, w.tokens));
  }
  const inner = budgets[0];
  Object.assign(attributes, {
    [ATTR_BUDGET_NAME]: inner.name,
    [ATTR_BUDGET_DECISION]: changed.size ? 'degrade' : 'allow',
    [ATTR_BUDGET_REASON]: reason,
    ...figures(inner),
    [ATTR_BUDGET_RESERVED_USD]: toUsd(reservations[0].nano),
    [ATTR_BUDGET_RESERVED_TOKENS]: reservations[0].tokens,
  });
  if (inner.limitNano === undefined) delete attributes[ATTR_BUDGET_RESERVED_USD];
  const decision: GateDecision = {
    attributes,
    settle: ({ usd, tokens }) => {
      const nano = usd === undefined ? undefined : toNano(usd);
      const used = tokens ? tokens.input + tokens.output : undefined;
      for (const r of reservations) r.settle(nano, used, usd !== undefined);
    },
    release: () => {
      for (const r of reservations) r.release();
    },
  };
  if (changed.size) {
    attributes[ATTR_BUDGET_CHANGED] = [...changed].sort().join(',');
    if (changed.has('model') && start.model) {
      attributes[ATTR_BUDGET_ORIGINAL_MODEL] = start.model;
      decision.model = call.model;
    }
    if (changed.has('max_tokens') && call.cap !== undefined) {
      if (start.cap !== undefined) attributes[ATTR_BUDGET_ORIGINAL_MAX_TOKENS] = start.cap;
      decision.maxOutputTokens = call.cap;
    }
  }
  return decision;
}

function figures(budget: Budget): Attributes {
  const attrs: Attributes = {};
  if (budget.limitNano !== undefined) {
    attrs[ATTR_BUDGET_LIMIT_USD] = toUsd(budget.limitNano);
    attrs[ATTR_BUDGET_SPENT_USD] = toUsd(budget.spentNano);
  }
  return attrs;
}
