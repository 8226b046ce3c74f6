import { AsyncLocalStorage } from 'node:async_hooks';
import type { Budget } from './budget.ts';

/** One `withBudget` scope; scopes nest (a task budget inside a session budget). */
export interface BudgetFrame {
  readonly budget: Budget;
  readonly parent: BudgetFrame | undefined;
  readonly session: string | undefined;
  readonly agent: string | undefined;
}

export const storage = new AsyncLocalStorage<BudgetFrame>();

/** The scope in force (for the gate and the span processor). */
export function currentFrame(): BudgetFrame | undefined {
  return storage.getStore();
}

/** Budgets in force, innermost first, each once. */
export function budgetChain(frame: BudgetFrame | undefined): Budget[] {
  const out: Budget[] = [];
  for (let f = frame; f; f = f.parent) if (!out.includes(f.budget)) out.push(f.budget);
  return out;
}
