import { BudgetConfigError } from './errors.ts';
import { MAX_LIMIT_USD } from './money.ts';

/** `enforce` refuses the call that trips a limit; `record` lets it go and only marks its span. */
export type BreakerMode = 'enforce' | 'record';

/** The breaker's limits for one agent run (see breaker.ts for what each one measures). */
export interface BreakerLimits {
  /** Most model calls in one run (kind `steps`). */
  maxCallsPerRun?: number;
  /** Most dollars the run may spend in any trailing 60 seconds (kind `velocity`). */
  maxUsdPerMinute?: number;
  /** Most times the same request may be sent in one run (kind `loop`). */
  maxRepeats?: number;
  /** Default `enforce`. */
  mode?: BreakerMode;
}

/** `configureBreaker`: defaults for every run, and overrides per agent name. */
export interface BreakerOptions extends BreakerLimits {
  agents?: Readonly<Record<string, BreakerLimits>>;
}

/** Where the process's settings came from (named in refusals, to say where to change them). */
export type BreakerOrigin = 'code' | 'env';

export interface ResolvedBreaker {
  readonly origin: BreakerOrigin;
  readonly defaults: Readonly<BreakerLimits>;
  readonly agents: ReadonlyMap<string, Readonly<BreakerLimits>>;
}

export const MAX_CALLS_PER_RUN = 1_000_000;
export const MAX_REPEATS = 100_000;
export const LIMIT_KEYS = ['maxCallsPerRun', 'maxUsdPerMinute', 'maxRepeats', 'mode'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A positive whole number up to `max`, or undefined when the value is not one. */
export function wholeNumber(v: unknown, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max ? v : undefined;
}

/** A positive dollar amount up to the largest budget limit, or undefined. */
export function dollars(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_LIMIT_USD ? v : undefined;
}

/**
 * Checks one set of limits (`withBudget({ breaker })`, `configureBreaker`, one agent's overrides):
 * one `BudgetConfigError` naming the field (`prefix.field`) and what is wrong. Only the fields
 * given are in the result.
 */
export function resolveBreakerLimits(
  o: unknown,
  prefix: string,
  where: string,
  extraKeys: readonly string[] = [],
): BreakerLimits {
  const name = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (!isRecord(o)) {
    throw new BudgetConfigError(
      prefix || 'options',
      `expected an object like { maxCallsPerRun: 20, maxUsdPerMinute: 0.5, maxRepeats: 3, mode: "enforce" }, got ${JSON.stringify(o)}`,
      where,
    );
  }
  for (const key of Object.keys(o)) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key) && !extraKeys.includes(key)) {
      throw new BudgetConfigError(
        name(key),
        `unknown option (expected ${[...LIMIT_KEYS, ...extraKeys].join(', ')})`,
        where,
      );
    }
  }
  const out: BreakerLimits = {};
  const check = <T>(key: LimitKey, v: T | undefined, problem: string): T | undefined => {
    if (o[key] === undefined) return undefined;
    if (v === undefined) {
      throw new BudgetConfigError(name(key), `${problem}, got ${JSON.stringify(o[key])}`, where);
    }
    return v;
  };
  const calls = check(
    'maxCallsPerRun',
    wholeNumber(o.maxCallsPerRun, MAX_CALLS_PER_RUN),
    `expected a positive whole number of model calls (at most ${MAX_CALLS_PER_RUN})`,
  );
  if (calls !== undefined) out.maxCallsPerRun = calls;
  const usd = check(
    'maxUsdPerMinute',
    dollars(o.maxUsdPerMinute),
    `expected a positive number of dollars per minute (at most ${MAX_LIMIT_USD})`,
  );
  if (usd !== undefined) out.maxUsdPerMinute = usd;
  const repeats = check(
    'maxRepeats',
    wholeNumber(o.maxRepeats, MAX_REPEATS),
    `expected a positive whole number of times the same request may be sent (at most ${MAX_REPEATS})`,
  );
  if (repeats !== undefined) out.maxRepeats = repeats;
  const mode = check(
    'mode',
    o.mode === 'enforce' || o.mode === 'record' ? o.mode : undefined,
    'expected "enforce" or "record"',
  );
  if (mode !== undefined) out.mode = mode;
  return out;
}

/** Checks `configureBreaker`'s options (one `BudgetConfigError` naming the field). */
export function resolveBreakerOptions(o: unknown, origin: BreakerOrigin): ResolvedBreaker {
  const where = 'configureBreaker';
  const defaults = resolveBreakerLimits(o, '', where, ['agents']);
  const agents = new Map<string, Readonly<BreakerLimits>>();
  const given = (o as Record<string, unknown>).agents;
  if (given !== undefined) {
    if (!isRecord(given)) {
      throw new BudgetConfigError(
        'agents',
        `expected an object of agent name → limits, like { planner: { maxCallsPerRun: 20 } }, got ${JSON.stringify(given)}`,
        where,
      );
    }
    for (const [agent, limits] of Object.entries(given)) {
      if (agent.trim() === '' || agent.length > 256) {
        throw new BudgetConfigError(
          `agents[${JSON.stringify(agent)}]`,
          'expected an agent name (1 to 256 characters)',
          where,
        );
      }
      agents.set(agent, resolveBreakerLimits(limits, `agents[${JSON.stringify(agent)}]`, where));
    }
  }
  return { origin, defaults, agents };
}

/** True when the settings limit nothing (no limit anywhere: the breaker stays off). */
export function limitsNothing(r: ResolvedBreaker): boolean {
  const limits = (l: Readonly<BreakerLimits>) =>
    l.maxCallsPerRun !== undefined || l.maxUsdPerMinute !== undefined || l.maxRepeats !== undefined;
  if (limits(r.defaults)) return false;
  for (const l of r.agents.values()) if (limits(l)) return false;
  return true;
}
