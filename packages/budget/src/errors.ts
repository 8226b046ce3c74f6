import { formatUsd, toUsd } from './money.ts';

/**
 * Why a call was refused: a budget's dollars / tokens / unpriced model, the evaluator, or the
 * breaker for runaway agents (`steps`, `velocity`, `loop`; see breaker.ts).
 */
export type ExceededKind =
  | 'usd'
  | 'tokens'
  | 'unpriced'
  | 'evaluator'
  | 'evaluator_unreachable'
  | 'steps'
  | 'velocity'
  | 'loop';

/** A bad option (`withBudget`, `configureBreaker`): names the option and what is wrong with it. */
export class BudgetConfigError extends TypeError {
  readonly option: string;
  constructor(option: string, problem: string, where = 'withBudget') {
    super(`${where}: ${option}: ${problem}`);
    this.name = 'BudgetConfigError';
    this.option = option;
  }
}

export interface BudgetExceededDetails {
  kind: ExceededKind;
  /** The budget's name (a `withBudget` name, or the evaluator's budget name). */
  budget: string;
  provider: string;
  model: string | undefined;
  session?: string;
  agent?: string;
  /** Dollar figures (undefined where the budget has no dollar limit). */
  limitUsd?: number;
  spentUsd?: number;
  reservedUsd?: number;
  /** The worst case this call needed. */
  requiredUsd?: number;
  limitTokens?: number;
  usedTokens?: number;
  requiredTokens?: number;
  /** Breaker refusals: the limit that tripped and what was measured against it. */
  limit?: number;
  value?: number;
  /** Breaker refusals: the agent run (`burnrate.run.id`). */
  runId?: string;
}

/**
 * A model call refused before any network request because a budget would be overrun.
 * `instanceof BudgetExceededError` or `error.name === 'BudgetExceededError'`; the numbers are on it.
 */
export class BudgetExceededError extends Error {
  readonly kind: ExceededKind;
  readonly budget: string;
  readonly provider: string;
  readonly model: string | undefined;
  readonly session: string | undefined;
  readonly agent: string | undefined;
  readonly limitUsd: number | undefined;
  readonly spentUsd: number | undefined;
  readonly reservedUsd: number | undefined;
  readonly requiredUsd: number | undefined;
  /** What is left for new calls: limit - spent - reserved (never below 0). */
  readonly remainingUsd: number | undefined;
  readonly limitTokens: number | undefined;
  readonly usedTokens: number | undefined;
  readonly requiredTokens: number | undefined;
  /** Breaker (`steps`, `velocity`, `loop`): the limit and the measured value (see breaker.ts). */
  readonly limit: number | undefined;
  readonly value: number | undefined;
  readonly runId: string | undefined;

  constructor(details: BudgetExceededDetails, message: string) {
    super(message);
    this.name = 'BudgetExceededError';
    this.kind = details.kind;
    this.budget = details.budget;
    this.provider = details.provider;
    this.model = details.model;
    this.session = details.session;
    this.agent = details.agent;
    this.limitUsd = details.limitUsd;
    this.spentUsd = details.spentUsd;
    this.reservedUsd = details.reservedUsd;
    this.requiredUsd = details.requiredUsd;
    this.remainingUsd =
      details.limitUsd === undefined
        ? undefined
        : Math.max(0, details.limitUsd - (details.spentUsd ?? 0) - (details.reservedUsd ?? 0));
    this.limitTokens = details.limitTokens;
    this.usedTokens = details.usedTokens;
    this.requiredTokens = details.requiredTokens;
    this.limit = details.limit;
    this.value = details.value;
    this.runId = details.runId;
  }
}

/** The error for a local budget, from nano-dollar figures. */
export function localExceeded(
  d: Omit<BudgetExceededDetails, 'limitUsd' | 'spentUsd' | 'reservedUsd' | 'requiredUsd'> & {
    limitNano?: number;
    spentNano: number;
    reservedNano: number;
    requiredNano?: number;
  },
): BudgetExceededError {
  const { limitNano, spentNano, reservedNano, requiredNano, ...rest } = d;
  const details: BudgetExceededDetails = { ...rest };
  if (limitNano !== undefined) {
    details.limitUsd = toUsd(limitNano);
    details.spentUsd = toUsd(spentNano);
    details.reservedUsd = toUsd(reservedNano);
  }
  if (requiredNano !== undefined) details.requiredUsd = toUsd(requiredNano);
  const who = `budget "${d.budget}"`;
  const call = `${d.provider}/${d.model ?? 'unknown model'}`;
  let message: string;
  if (d.kind === 'tokens') {
    message = `${who} would be exceeded: this ${call} call may use up to ${d.requiredTokens} tokens but ${Math.max(0, (d.limitTokens ?? 0) - (d.usedTokens ?? 0))} of ${d.limitTokens} remain`;
  } else if (d.kind === 'unpriced') {
    message = `${who} refuses ${call}: no price is known for it, so its cost cannot be reserved`;
  } else {
    const left = Math.max(0, (limitNano ?? 0) - spentNano - reservedNano);
    message = `${who} would be exceeded: this ${call} call may cost up to ${formatUsd(requiredNano ?? 0)} but ${formatUsd(left)} of ${formatUsd(limitNano ?? 0)} remains (spent ${formatUsd(spentNano)}, reserved by calls in flight ${formatUsd(reservedNano)})`;
  }
  return new BudgetExceededError(details, message);
}
