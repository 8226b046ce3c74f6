import { Budget, type BudgetSnapshot } from './budget.ts';
import { type BudgetFrame, storage } from './frames.ts';
import { ensureBudgetGate } from './gate.ts';
import type { BudgetOptions } from './options.ts';

/**
 * Runs `fn` with a budget: every instrumented model call inside it (nested calls and concurrent
 * promises included) reserves its worst case before it leaves and settles to its actual cost.
 * Scopes nest: a call must fit every enclosing budget. Pass a `Budget` from `createBudget()` to
 * share one ledger across scopes. Bad options throw a `BudgetConfigError` naming the option.
 */
export function withBudget<T>(options: BudgetOptions | Budget, fn: () => T): T {
  const budget = options instanceof Budget ? options : new Budget(options);
  ensureBudgetGate();
  const parent = storage.getStore();
  const frame: BudgetFrame = {
    budget,
    parent,
    session: budget.options.session ?? parent?.session,
    agent: budget.options.agent ?? parent?.agent,
  };
  return storage.run(frame, fn);
}

/** The innermost budget's running figures, or undefined outside any `withBudget`. */
export function currentBudget(): BudgetSnapshot | undefined {
  const frame = storage.getStore();
  if (!frame) return undefined;
  const s = frame.budget.snapshot();
  return { ...s, session: frame.session, agent: frame.agent };
}
