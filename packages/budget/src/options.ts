import { type BreakerLimits, resolveBreakerLimits } from './breaker-options.ts';
import { BudgetConfigError, type BudgetExceededError } from './errors.ts';
import { MAX_LIMIT_USD } from './money.ts';

/** Degrade instead of fail, from a share of the dollar (or token) limit on. */
export interface SoftLimitOptions {
  /** Fraction of the limit where the soft zone starts (0 < at <= 1). Default 0.8. */
  at?: number;
  /** In the soft zone, no call gets more output tokens than this. */
  maxOutputTokens?: number;
  /** Cheaper model to switch to when the budget cannot pay a useful answer: `{ 'gpt-4o': 'gpt-4o-mini' }`. */
  models?: Readonly<Record<string, string>>;
  /** The least output worth asking for; below it the model is swapped, else the call is refused. Default 16. */
  minOutputTokens?: number;
}

export interface BudgetOptions {
  /** Short name on spans and errors. Default `budget`. */
  name?: string;
  /** Hard limit in US dollars for everything in the scope. */
  maxUsd?: number;
  /** Hard limit in tokens (input + output) for everything in the scope. */
  maxTokens?: number;
  /** Degrade instead of fail: a fraction (`0.8`) or the full options. */
  soft?: number | SoftLimitOptions;
  /** Called (never throwing into the caller) when a call is refused, before the error reaches it. */
  onExceeded?: (error: BudgetExceededError) => void;
  /** `session.id` on every span in the scope. */
  session?: string;
  /** `gen_ai.agent.name` on every span in the scope. */
  agent?: string;
  /** A model with no known price: `allow` it (default; its cost is not counted) or `block` it. */
  unpriced?: 'allow' | 'block';
  /** Max output tokens to reserve per model when the caller sets no cap (over the built-in table). */
  outputLimits?: Readonly<Record<string, number>>;
  /**
   * The breaker for runaway agents, for the calls in this scope (they win over `configureBreaker`
   * and the environment): `{ maxCallsPerRun, maxUsdPerMinute, maxRepeats, mode }`.
   */
  breaker?: BreakerLimits;
}

export interface ResolvedSoft {
  at: number;
  maxOutputTokens: number | undefined;
  models: Readonly<Record<string, string>>;
  minOutputTokens: number;
}

export { BudgetConfigError };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

function positive(option: string, v: unknown, max: number, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max;
  if (!ok || (integer && !Number.isInteger(v))) {
    const what = integer ? 'a positive whole number' : 'a positive number';
    throw new BudgetConfigError(
      option,
      `expected ${what} (at most ${max}), got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function text(option: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '' || v.length > 256) {
    throw new BudgetConfigError(
      option,
      `expected a non-empty string (at most 256 characters), got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function resolveSoft(soft: BudgetOptions['soft']): ResolvedSoft | undefined {
  if (soft === undefined) return undefined;
  const o: SoftLimitOptions = typeof soft === 'number' ? { at: soft } : soft;
  if (typeof o !== 'object' || o === null) {
    throw new BudgetConfigError(
      'soft',
      `expected a fraction like 0.8 or { at, models, maxOutputTokens }, got ${JSON.stringify(soft)}`,
    );
  }
  const at = o.at ?? 0.8;
  if (typeof at !== 'number' || !(at > 0 && at <= 1)) {
    throw new BudgetConfigError(
      'soft.at',
      `expected a fraction of the limit above 0 and at most 1 (0.8 for 80 %), got ${JSON.stringify(o.at)}`,
    );
  }
  const models = o.models ?? {};
  for (const [from, to] of Object.entries(models)) {
    if (typeof to !== 'string' || to === '' || to === from) {
      throw new BudgetConfigError(
        `soft.models["${from}"]`,
        `expected the name of another (cheaper) model, got ${JSON.stringify(to)}`,
      );
    }
  }
  return {
    at,
    maxOutputTokens: positive('soft.maxOutputTokens', o.maxOutputTokens, 10_000_000, true),
    models,
    minOutputTokens: positive('soft.minOutputTokens', o.minOutputTokens, 10_000_000, true) ?? 16,
  };
}

export interface ResolvedOptions {
  name: string;
  maxUsd: number | undefined;
  maxTokens: number | undefined;
  soft: ResolvedSoft | undefined;
  onExceeded: ((error: BudgetExceededError) => void) | undefined;
  session: string | undefined;
  agent: string | undefined;
  unpriced: 'allow' | 'block';
  outputLimits: Readonly<Record<string, number>> | undefined;
  breaker: Readonly<BreakerLimits> | undefined;
}

/** Checks options once, with one clear error naming the bad option. */
export function resolveOptions(o: BudgetOptions): ResolvedOptions {
  if (typeof o !== 'object' || o === null) {
    throw new BudgetConfigError('options', `expected an object, got ${JSON.stringify(o)}`);
  }
  const name = o.name ?? 'budget';
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new BudgetConfigError(
      'name',
      `expected a short name (letters, digits, "_", ".", ":", "/", "-"), got ${JSON.stringify(o.name)}`,
    );
  }
  if (o.unpriced !== undefined && o.unpriced !== 'allow' && o.unpriced !== 'block') {
    throw new BudgetConfigError(
      'unpriced',
      `expected "allow" or "block", got ${JSON.stringify(o.unpriced)}`,
    );
  }
  if (o.onExceeded !== undefined && typeof o.onExceeded !== 'function') {
    throw new BudgetConfigError('onExceeded', 'expected a function');
  }
  for (const [model, n] of Object.entries(o.outputLimits ?? {})) {
    positive(`outputLimits["${model}"]`, n, 10_000_000, true);
  }
  const maxUsd = positive('maxUsd', o.maxUsd, MAX_LIMIT_USD, false);
  const maxTokens = positive('maxTokens', o.maxTokens, Number.MAX_SAFE_INTEGER, true);
  const soft = resolveSoft(o.soft);
  if (soft && maxUsd === undefined && maxTokens === undefined) {
    throw new BudgetConfigError('soft', 'a soft limit needs maxUsd or maxTokens to be a share of');
  }
  return {
    name,
    maxUsd,
    maxTokens,
    soft,
    onExceeded: o.onExceeded,
    session: text('session', o.session),
    agent: text('agent', o.agent),
    unpriced: o.unpriced ?? 'allow',
    outputLimits: o.outputLimits,
    breaker:
      o.breaker === undefined
        ? undefined
        : resolveBreakerLimits(o.breaker, 'breaker', 'withBudget'),
  };
}
