import { withAgentRun } from '@burnrate/core';
import { useRunBreakerSettings } from './breaker.ts';
import { Budget, type BudgetSnapshot } from './budget.ts';
import { type BudgetFrame, storage } from './frames.ts';
import { ensureBudgetGate } from './gate.ts';
import type { BudgetOptions } from './options.ts';

/**
 * Runs `fn` with a budget: every instrumented model call inside it (nested calls and concurrent
 * promises included) reserves its worst case before it leaves and settles to its actual cost.
 * Scopes nest: a call must fit every enclosing budget. Pass a `Budget` from `createBudget()` to
 * share one ledger across scopes. Bad options throw a `BudgetConfigError` naming the option.
 * A scope is an agent run (`gen_ai.agent.name` and `session.id` from its options, which win over
 * what a framework says), unless it is inside one already. `breaker` limits the calls in the scope
 * (see `configureBreaker`; they win over it).
 */
export function withBudget<T>(options: BudgetOptions | Budget, fn: () => T): T {
  const budget = options instanceof Budget ? options : new Budget(options);
  if (budget.options.breaker) useRunBreakerSettings();
  ensureBudgetGate();
  const parent = storage.getStore();
  const frame: BudgetFrame = {
    budget,
    parent,
    session: budget.options.session ?? parent?.session,
    agent: budget.options.agent ?? parent?.agent,
  };
  const { agent, session } = budget.options;
  return withAgentRun({ agent, session }, () => storage.run(frame, fn), { explicit: true });
}

/** The innermost budget's running figures, or undefined outside any `withBudget`. */
export function currentBudget(): BudgetSnapshot | undefined {
  const frame = storage.getStore();
  if (!frame) return undefined;
  const s = frame.budget.snapshot();
  return { ...s, session: frame.session, agent: frame.agent };
}
