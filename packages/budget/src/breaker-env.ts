import { burnrateLogger, ConfigError, safely } from '@burnrate/core';
import { setBreakerSettings } from './breaker.ts';
import { AGENT_ENV_KEYS, ENV_VARIABLES } from './breaker-error.ts';
import {
  type BreakerLimits,
  type BreakerMode,
  type BreakerOptions,
  dollars,
  LIMIT_KEYS,
  type LimitKey,
  limitsNothing,
  MAX_CALLS_PER_RUN,
  MAX_REPEATS,
  resolveBreakerOptions,
} from './breaker-options.ts';

const AGENTS = 'BURNRATE_BREAKER_AGENTS';

/** Parses one setting's text; returns the problem (a string) when it is bad. */
function parse(key: LimitKey, raw: string): number | BreakerMode | { problem: string } {
  const text = raw.trim();
  if (key === 'mode') {
    const mode = text.toLowerCase();
    if (mode === 'enforce' || mode === 'record') return mode;
    return { problem: `expected enforce or record, got ${JSON.stringify(raw)}` };
  }
  if (key === 'maxUsdPerMinute') {
    const usd = /^\d+(\.\d+)?$|^\.\d+$/.test(text) ? dollars(Number(text)) : undefined;
    if (usd !== undefined) return usd;
    return {
      problem: `expected a positive number of dollars per minute like 0.5, got ${JSON.stringify(raw)}`,
    };
  }
  const max = key === 'maxRepeats' ? MAX_REPEATS : MAX_CALLS_PER_RUN;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(n) && n > 0 && n <= max) return n;
  const what = key === 'maxRepeats' ? 'times the same request may be sent' : 'model calls per run';
  return {
    problem: `expected a positive whole number of ${what} (at most ${max}), got ${JSON.stringify(raw)}`,
  };
}

function set(limits: BreakerLimits, key: LimitKey, value: number | BreakerMode): void {
  if (key === 'mode') limits.mode = value as BreakerMode;
  else limits[key] = value as number;
}

const AGENT_KEYS = new Map<string, LimitKey>([
  ...LIMIT_KEYS.map((k) => [AGENT_ENV_KEYS[k], k] as const),
  ['maxCallsPerRun', 'maxCallsPerRun'],
]);

/** One `agent:key=value,...` entry's settings, or what is wrong with them. */
function parseEntry(settings: string[]): BreakerLimits | string {
  if (!settings.length) return 'expected at least one key=value setting';
  const limits: BreakerLimits = {};
  for (const setting of settings) {
    const [k, v, extra] = setting.split('=').map((s) => s.trim());
    const key = AGENT_KEYS.get(k);
    if (!key || v === undefined || extra !== undefined) {
      return `expected key=value with key one of maxCalls, maxUsdPerMinute, maxRepeats, mode, got ${JSON.stringify(setting)}`;
    }
    const value = parse(key, v);
    if (typeof value === 'object') return `${k}: ${value.problem}`;
    set(limits, key, value);
  }
  return limits;
}

/**
 * `planner:maxCalls=20,maxRepeats=3;Research Agent:maxUsdPerMinute=0.5,mode=record`: entries
 * separated by `;`, each an agent name (spaces allowed; everything before the entry's last `:`)
 * and `key=value` settings separated by `,`. Keys: maxCalls (or maxCallsPerRun), maxUsdPerMinute,
 * maxRepeats, mode. A bad entry is reported and ignored; the others apply.
 */
function parseAgents(text: string, fail: (problem: string) => void): Record<string, BreakerLimits> {
  const agents: Record<string, BreakerLimits> = {};
  const entries = text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    const name = colon > 0 ? entry.slice(0, colon).trim() : '';
    const limits = name
      ? parseEntry(
          entry
            .slice(colon + 1)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        )
      : 'expected an agent name, ":" and settings';
    if (typeof limits === 'string') {
      fail(
        `entry ${JSON.stringify(entry)}: ${limits}; this entry is ignored (format: agent:maxCalls=20,maxRepeats=3;other-agent:maxUsdPerMinute=0.5)`,
      );
    } else {
      agents[name] = { ...agents[name], ...limits };
    }
  }
  return agents;
}

/**
 * The breaker's settings from the environment: `BURNRATE_BREAKER_MAX_CALLS`,
 * `BURNRATE_BREAKER_MAX_USD_PER_MINUTE`, `BURNRATE_BREAKER_MAX_REPEATS`, `BURNRATE_BREAKER_MODE`
 * (`enforce`, the default, or `record`) and `BURNRATE_BREAKER_AGENTS` (per agent, see
 * parseAgents). Undefined when none is set. A bad value throws one ConfigError naming the
 * variable, or, with `report`, is reported (naming the variable) and ignored, the rest applying.
 */
export function breakerOptionsFromEnv(
  env: Record<string, string | undefined>,
  report?: (message: string) => void,
): BreakerOptions | undefined {
  const fail = (variable: string, problem: string) => {
    if (!report) throw new ConfigError(variable, problem);
    report(`${variable}: ${problem}`);
  };
  let found = false;
  const options: BreakerOptions = {};
  for (const key of LIMIT_KEYS) {
    const raw = env[ENV_VARIABLES[key]];
    if (raw === undefined || raw.trim() === '') continue;
    found = true;
    const value = parse(key, raw);
    if (typeof value === 'object') fail(ENV_VARIABLES[key], `${value.problem}; ignored`);
    else set(options, key, value);
  }
  const agents = env[AGENTS];
  if (agents !== undefined && agents.trim() !== '') {
    found = true;
    const parsed = parseAgents(agents, (problem) => fail(AGENTS, problem));
    if (Object.keys(parsed).length) options.agents = parsed;
  }
  return found ? options : undefined;
}

/**
 * For `@burnrate/auto`: configures the breaker from the environment when any of its variables is
 * set (leaving code's `configureBreaker` alone otherwise). Never throws: a bad value is reported
 * (default: the diag logger) naming the variable, and ignored. Returns whether a breaker is on.
 */
export function startBreakerFromEnv(
  env: Record<string, string | undefined> = process.env,
  report: (message: string) => void = (m) => burnrateLogger.warn(`configuration error: ${m}`),
): boolean {
  return (
    safely('breaker configuration', () => {
      const options = breakerOptionsFromEnv(env, report);
      if (!options) return false;
      const resolved = resolveBreakerOptions(options, 'env');
      setBreakerSettings(resolved);
      return !limitsNothing(resolved);
    }) ?? false
  );
}
