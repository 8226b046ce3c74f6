import type { Pricer } from '@burnrate/pricing';
import type { Budget } from './budget.ts';
import { type BudgetExceededError, localExceeded } from './errors.ts';
import { outputTokensToReserve } from './output-limits.ts';
import { payableOutputTokens, type Quote, quote, worstCaseNano } from './quote.ts';

/** A call as a budget sees it: the model and cap after earlier gates' changes. */
export interface PlannedCall {
  provider: string;
  operation: string;
  model: string | undefined;
  /** The output cap in force (the caller's, or one a gate lowered). */
  cap: number | undefined;
  inputTokens: number;
}

export type PlanResult =
  | { kind: 'ok'; reason: 'within_budget' | 'soft_limit' | 'unpriced' }
  | { kind: 'degrade'; model: string | undefined; cap: number; changed: ('model' | 'max_tokens')[] }
  | { kind: 'block'; error: BudgetExceededError };

/** The worst case of a call in one budget: dollars (undefined when unpriced) and tokens. */
export interface WorstCase {
  nano: number | undefined;
  tokens: number;
  outputTokens: number;
}

export function worstCase(budget: Budget, pricer: Pricer, call: PlannedCall, q?: Quote): WorstCase {
  const priced =
    q ?? (call.model ? quote(pricer, call.provider, call.model, call.inputTokens) : undefined);
  const outputTokens = outputTokensToReserve({
    operation: call.operation,
    model: call.model ?? '',
    requested: call.cap,
    inputTokens: call.inputTokens,
    contextWindow: priced?.contextWindow,
    overrides: budget.options.outputLimits,
  });
  return {
    nano: priced ? worstCaseNano(priced, outputTokens) : undefined,
    tokens: call.inputTokens + outputTokens,
    outputTokens,
  };
}

/** Does a worst case fit what the budget has left? */
export function fits(budget: Budget, w: WorstCase): 'usd' | 'tokens' | undefined {
  if (budget.limitNano !== undefined && w.nano !== undefined) {
    if (budget.committedNano + w.nano > budget.limitNano) return 'usd';
  }
  const maxTokens = budget.options.maxTokens;
  if (maxTokens !== undefined && budget.committedTokens + w.tokens > maxTokens) return 'tokens';
  return undefined;
}

/** The error for a call this budget refuses. */
export function refuse(
  budget: Budget,
  call: PlannedCall,
  w: WorstCase,
  kind: 'usd' | 'tokens' | 'unpriced',
): BudgetExceededError {
  return localExceeded({
    kind,
    budget: budget.name,
    provider: call.provider,
    model: call.model,
    session: budget.options.session,
    agent: budget.options.agent,
    limitNano: budget.limitNano,
    spentNano: budget.spentNano,
    reservedNano: budget.reservedNano,
    requiredNano: w.nano,
    limitTokens: budget.options.maxTokens,
    usedTokens: budget.committedTokens,
    requiredTokens: w.tokens,
  });
}

/** The most output tokens this budget can pay for with `model` (its prices `q`). */
function payable(budget: Budget, call: PlannedCall, q: Quote | undefined): number {
  let n = Number.MAX_SAFE_INTEGER;
  if (budget.limitNano !== undefined && q) {
    n = Math.min(n, payableOutputTokens(q, budget.limitNano - budget.committedNano));
  }
  const maxTokens = budget.options.maxTokens;
  if (maxTokens !== undefined)
    n = Math.min(n, maxTokens - budget.committedTokens - call.inputTokens);
  return n;
}

/**
 * Decides one call against one budget. Hard only: a call whose worst case does not fit is
 * refused. With a soft limit: in the soft zone the output cap is held to `soft.maxOutputTokens`;
 * a call that does not fit gets the cap the budget can still pay; when that is below a useful
 * answer (`soft.minOutputTokens`) the model is swapped for the cheaper one mapped, with the cap
 * that model can be paid; and only when that fails too is the call refused.
 */
export function planCall(budget: Budget, pricer: Pricer, call: PlannedCall): PlanResult {
  const q = call.model ? quote(pricer, call.provider, call.model, call.inputTokens) : undefined;
  const w = worstCase(budget, pricer, call, q);
  if (!q && budget.limitNano !== undefined && budget.options.unpriced === 'block') {
    return { kind: 'block', error: refuse(budget, call, w, 'unpriced') };
  }
  const soft = budget.options.soft;
  const inSoft = budget.inSoftZone;
  const softCap = inSoft ? soft?.maxOutputTokens : undefined;
  const over = fits(budget, w);
  if (!over && (softCap === undefined || w.outputTokens <= softCap)) {
    return {
      kind: 'ok',
      reason:
        !q && budget.limitNano !== undefined ? 'unpriced' : inSoft ? 'soft_limit' : 'within_budget',
    };
  }
  if (!soft) return { kind: 'block', error: refuse(budget, call, w, over ?? 'usd') };
  const useful = Math.min(soft.minOutputTokens, w.outputTokens);
  const capFor = (outputTokens: number, prices: Quote | undefined) =>
    Math.min(outputTokens, softCap ?? Number.MAX_SAFE_INTEGER, payable(budget, call, prices));
  const cap = capFor(w.outputTokens, q);
  if (cap >= useful && cap >= 1) {
    return { kind: 'degrade', model: call.model, cap, changed: ['max_tokens'] };
  }
  const cheaper = call.model ? soft.models[call.model] : undefined;
  if (cheaper) {
    const q2 = quote(pricer, call.provider, cheaper, call.inputTokens);
    if (q2 || budget.options.unpriced === 'allow') {
      const w2 = worstCase(budget, pricer, { ...call, model: cheaper }, q2);
      const cap2 = capFor(w2.outputTokens, q2);
      if (cap2 >= Math.min(soft.minOutputTokens, w2.outputTokens) && cap2 >= 1) {
        const changed: ('model' | 'max_tokens')[] = ['model'];
        if (cap2 < w2.outputTokens) changed.push('max_tokens');
        return { kind: 'degrade', model: cheaper, cap: cap2, changed };
      }
    }
  }
  return { kind: 'block', error: refuse(budget, call, w, over ?? 'usd') };
}
