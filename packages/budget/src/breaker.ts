import {
  type AgentRun,
  ATTR_BURNRATE_BREAKER_KIND,
  ATTR_BURNRATE_BREAKER_LIMIT,
  ATTR_BURNRATE_BREAKER_MODE,
  ATTR_BURNRATE_BREAKER_VALUE,
  type GateDecision,
  type ModelCallRequest,
  registerModelCallGate,
} from '@burnrate/core';
import { type BreakerLayer, breakerError, type Trip } from './breaker-error.ts';
import {
  type BreakerLimits,
  type BreakerOptions,
  limitsNothing,
  type ResolvedBreaker,
  resolveBreakerOptions,
} from './breaker-options.ts';
import { budgetChain, currentFrame } from './frames.ts';
import { notify } from './local-gate.ts';
import { toNano, toUsd } from './money.ts';

/**
 * The breaker for runaway agents. Per agent run (`withAgentRun`: a framework's top-level run or a
 * `withBudget` scope), before each model call leaves:
 *
 * - `loop`: the call's `fingerprint()` (model + newest two messages / input items) was already
 *   sent `maxRepeats` times in the run → refused (value: the times it would be sent, this one
 *   included).
 * - `velocity`: the run's settled actual spend in the trailing 60 s (the calls that ended less than
 *   60 s ago) is at or above `maxUsdPerMinute` → refused (value: that spend). Calls in flight are
 *   not counted until they settle, so the rate can pass the limit by the calls that cross it.
 * - `steps`: the run already made `maxCallsPerRun` calls (in flight included) → refused (value:
 *   the number this call would have).
 *
 * Checked in that order; the first that trips decides. A call counts from the moment it passes the
 * gates; one that fails (or another gate refuses) stops counting. `record` mode lets the call go and
 * only marks its span. State is per run object, in a WeakMap: it goes with the run.
 */

/** The trailing window of `maxUsdPerMinute`. */
export const VELOCITY_WINDOW_MS = 60_000;

class RunCounters {
  /** Calls that passed the breaker and did not fail (in flight included). */
  calls = 0;
  repeats: Map<string, number> | undefined;
  #at: number[] = [];
  #nano: number[] = [];
  #head = 0;
  #windowNano = 0;

  spent(at: number, nano: number): void {
    this.#at.push(at);
    this.#nano.push(nano);
    this.#windowNano += nano;
  }

  /** Settled spend of the calls that ended within the window before `now`, in nano-dollars. */
  windowNano(now: number): number {
    const from = now - VELOCITY_WINDOW_MS;
    while (this.#head < this.#at.length && this.#at[this.#head] <= from) {
      this.#windowNano -= this.#nano[this.#head++];
    }
    if (this.#head > 32 && this.#head * 2 > this.#at.length) {
      this.#at = this.#at.slice(this.#head);
      this.#nano = this.#nano.slice(this.#head);
      this.#head = 0;
    }
    return this.#windowNano;
  }

  repeat(fingerprint: string, delta: 1 | -1): void {
    this.repeats ??= new Map();
    const n = (this.repeats.get(fingerprint) ?? 0) + delta;
    if (n > 0) this.repeats.set(fingerprint, n);
    else this.repeats.delete(fingerprint);
  }
}

const runs = new WeakMap<AgentRun, RunCounters>();
let settings: ResolvedBreaker | undefined;
/** A `withBudget({ breaker })` was seen: from then on calls in runs look for run settings. */
let runSettingsUsed = false;
let unregister: (() => void) | undefined;
let clock: () => number = () => performance.now();

/** The limits for a call, least specific first: defaults, the run's agent, the call's agent, scopes. */
function layersFor(req: ModelCallRequest, run: AgentRun): BreakerLayer[] {
  const layers: BreakerLayer[] = [];
  const s = settings;
  if (s) {
    const origin = s.origin;
    layers.push({ kind: 'defaults', limits: s.defaults, origin });
    const top = run.agent;
    const own = req.agent.agent;
    if (top !== undefined && s.agents.has(top)) {
      layers.push({ kind: 'agent', limits: s.agents.get(top)!, origin, agent: top });
    }
    if (own !== undefined && own !== top && s.agents.has(own)) {
      layers.push({ kind: 'agent', limits: s.agents.get(own)!, origin, agent: own });
    }
  }
  if (runSettingsUsed) {
    const scoped: BreakerLayer[] = [];
    for (let f = currentFrame(); f; f = f.parent) {
      const limits = f.budget.options.breaker;
      if (limits) scoped.push({ kind: 'run', limits });
    }
    for (let i = scoped.length - 1; i >= 0; i--) layers.push(scoped[i]);
  }
  return layers;
}

function merged(layers: readonly BreakerLayer[]): BreakerLimits {
  const out: BreakerLimits = {};
  for (const l of layers) Object.assign(out, l.limits);
  return out;
}

/**
 * The breaker's gate. Nothing is computed unless a breaker is configured and the call is in a run;
 * the fingerprint only when a `maxRepeats` applies to the call.
 */
export function breakerGate(req: ModelCallRequest): GateDecision | undefined {
  if (!settings && !runSettingsUsed) return undefined;
  const run = req.run;
  if (!run) return undefined;
  const layers = layersFor(req, run);
  const limits = merged(layers);
  let counters = runs.get(run);
  if (!counters) {
    counters = new RunCounters();
    runs.set(run, counters);
  }
  let trip: Trip | undefined;
  let fingerprint: string | undefined;
  if (limits.maxRepeats !== undefined) {
    fingerprint = req.fingerprint();
    const seen = counters.repeats?.get(fingerprint) ?? 0;
    if (seen >= limits.maxRepeats)
      trip = { kind: 'loop', limit: limits.maxRepeats, value: seen + 1 };
  }
  if (!trip && limits.maxUsdPerMinute !== undefined) {
    const nano = counters.windowNano(clock());
    if (nano >= toNano(limits.maxUsdPerMinute)) {
      trip = { kind: 'velocity', limit: limits.maxUsdPerMinute, value: toUsd(nano) };
    }
  }
  if (!trip && limits.maxCallsPerRun !== undefined && counters.calls >= limits.maxCallsPerRun) {
    trip = { kind: 'steps', limit: limits.maxCallsPerRun, value: counters.calls + 1 };
  }
  const mode = limits.mode ?? 'enforce';
  const attributes = trip && {
    [ATTR_BURNRATE_BREAKER_KIND]: trip.kind,
    [ATTR_BURNRATE_BREAKER_MODE]: mode,
    [ATTR_BURNRATE_BREAKER_LIMIT]: trip.limit,
    [ATTR_BURNRATE_BREAKER_VALUE]: trip.value,
  };
  if (trip && mode === 'enforce') {
    const call = {
      provider: req.provider,
      model: req.model,
      agent: req.agent.agent ?? run.agent,
      session: req.agent.session,
      runId: run.id,
    };
    const error = breakerError(trip, call, layers);
    // The withBudget scopes around the call count the refusal and hear of it, as of their own.
    for (const budget of budgetChain(currentFrame())) notify(budget, error);
    return { block: error, attributes };
  }
  const c = counters;
  c.calls++;
  if (fingerprint !== undefined) c.repeat(fingerprint, 1);
  return {
    attributes,
    settle: ({ usd }) => {
      if (usd !== undefined && usd > 0) c.spent(clock(), toNano(usd));
    },
    release: () => {
      c.calls--;
      if (fingerprint !== undefined) c.repeat(fingerprint, -1);
    },
  };
}

/** Registers the breaker's gate with core, once (before the budget gate: see gate.ts). */
export function ensureBreakerGate(): void {
  unregister ??= registerModelCallGate(breakerGate);
}

/** Sets (replaces) the process's breaker settings; `undefined` (or no limit at all) turns it off. */
export function setBreakerSettings(resolved: ResolvedBreaker | undefined): void {
  settings = resolved && !limitsNothing(resolved) ? resolved : undefined;
  if (settings) ensureBreakerGate();
}

/**
 * The breaker for runaway agents, for every agent run in the process: defaults, and overrides per
 * agent name (`agents: { planner: { maxCallsPerRun: 20 } }`). A call's limits: these defaults, then
 * the run's top-level agent's overrides, then the calling agent's, then `withBudget({ breaker })`
 * scopes around the call (inner last): the more specific wins, field by field. Replaces earlier
 * settings (those from the environment included); `configureBreaker(undefined)` turns it off.
 * Bad options throw one `BudgetConfigError` naming the field.
 */
export function configureBreaker(options: BreakerOptions | undefined): void {
  setBreakerSettings(options === undefined ? undefined : resolveBreakerOptions(options, 'code'));
}

/** A `withBudget` scope has breaker settings (scope.ts). */
export function useRunBreakerSettings(): void {
  runSettingsUsed = true;
  ensureBreakerGate();
}

/** Tests: the clock of the velocity window (monotonic milliseconds). */
export function setBreakerClock(now: (() => number) | undefined): void {
  clock = now ?? (() => performance.now());
}

/** Tests and shutdown: turns the breaker off and unregisters its gate. */
export function removeBreaker(): void {
  unregister?.();
  unregister = undefined;
  settings = undefined;
  runSettingsUsed = false;
}
