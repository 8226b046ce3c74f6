import type { BreakerLimits, BreakerOrigin, LimitKey } from './breaker-options.ts';
import { BudgetExceededError } from './errors.ts';
import { formatUsd, toNano } from './money.ts';

/** One source of limits for a call: the process defaults, an agent's overrides, a `withBudget`. */
export interface BreakerLayer {
  readonly kind: 'defaults' | 'agent' | 'run';
  readonly limits: Readonly<BreakerLimits>;
  readonly origin?: BreakerOrigin;
  readonly agent?: string;
}

export type TripKind = 'steps' | 'velocity' | 'loop';

export interface Trip {
  kind: TripKind;
  limit: number;
  value: number;
}

/** The environment variable of each default limit (breaker-env.ts). */
export const ENV_VARIABLES: Readonly<Record<LimitKey, string>> = {
  maxCallsPerRun: 'BURNRATE_BREAKER_MAX_CALLS',
  maxUsdPerMinute: 'BURNRATE_BREAKER_MAX_USD_PER_MINUTE',
  maxRepeats: 'BURNRATE_BREAKER_MAX_REPEATS',
  mode: 'BURNRATE_BREAKER_MODE',
};

/** The key of each limit in `BURNRATE_BREAKER_AGENTS` entries. */
export const AGENT_ENV_KEYS: Readonly<Record<LimitKey, string>> = {
  maxCallsPerRun: 'maxCalls',
  maxUsdPerMinute: 'maxUsdPerMinute',
  maxRepeats: 'maxRepeats',
  mode: 'mode',
};

const FIELD: Readonly<Record<TripKind, LimitKey>> = {
  steps: 'maxCallsPerRun',
  velocity: 'maxUsdPerMinute',
  loop: 'maxRepeats',
};

/** Where a field's value came from, written as the user would change it. */
export function sourceOf(layers: readonly BreakerLayer[], field: LimitKey): string {
  let layer: BreakerLayer | undefined;
  for (const l of layers) if (l.limits[field] !== undefined) layer = l;
  if (!layer) return 'the default';
  const agent = JSON.stringify(layer.agent ?? '');
  if (layer.kind === 'run') return `withBudget({ breaker: { ${field} } })`;
  if (layer.kind === 'agent') {
    return layer.origin === 'env'
      ? `BURNRATE_BREAKER_AGENTS (${layer.agent}:${AGENT_ENV_KEYS[field]}=…)`
      : `configureBreaker({ agents: { ${agent}: { ${field} } } })`;
  }
  return layer.origin === 'env' ? ENV_VARIABLES[field] : `configureBreaker({ ${field} })`;
}

export interface RefusedCall {
  provider: string;
  model: string | undefined;
  agent: string | undefined;
  session: string | undefined;
  runId: string;
}

/** The error for a call the breaker refuses: which limit, which agent, what value, where to change it. */
export function breakerError(
  trip: Trip,
  call: RefusedCall,
  layers: readonly BreakerLayer[],
): BudgetExceededError {
  const who = call.agent ? `agent "${call.agent}"` : 'an agent with no name';
  const what = `this ${call.provider}/${call.model ?? 'unknown model'} call`;
  const field = FIELD[trip.kind];
  let problem: string;
  if (trip.kind === 'loop') {
    problem = `${who} already sent the same request ${trip.value - 1} times in run ${call.runId} (maxRepeats ${trip.limit}): it looks like a loop, and ${what} (the same request again) is refused before sending`;
  } else if (trip.kind === 'velocity') {
    problem = `${who} spent ${formatUsd(toNano(trip.value))} in the last 60 s of run ${call.runId} (maxUsdPerMinute ${formatUsd(toNano(trip.limit))}): it is spending too fast, and ${what} is refused before sending`;
  } else {
    problem = `${who} already made ${trip.value - 1} model calls in run ${call.runId} (maxCallsPerRun ${trip.limit}): ${what} is refused before sending`;
  }
  const change = `${field} is set by ${sourceOf(layers, field)}: raise it there, or set mode "record" to only mark such calls`;
  return new BudgetExceededError(
    {
      kind: trip.kind,
      budget: 'breaker',
      provider: call.provider,
      model: call.model,
      agent: call.agent,
      session: call.session,
      limit: trip.limit,
      value: trip.value,
      runId: call.runId,
    },
    `breaker: ${problem}. ${change}.`,
  );
}
