import { accessSync, constants } from 'node:fs';
import { ConfigError } from '@burnrate/core';
import { setEvaluatorGate } from '../gate.ts';
import { EvaluatorGate } from './decide.ts';
import { resourceLabels } from './labels.ts';
import { EvaluatorPoller } from './poller.ts';

export interface BudgetGatesOptions {
  /** The evaluator's base URL (its API and /metrics port, 9464 by default). */
  url: string;
  /** How often budget states are refreshed. Default 15 s. */
  refreshMs?: number;
  /** Per request. Default 2 s. */
  timeoutMs?: number;
  /** How long the last good states are used while refreshes fail. Default 4 refreshes (min 60 s). */
  maxStalenessMs?: number;
  /** Refuse every model call while the evaluator cannot be read. Default false (fail open). */
  failClosed?: boolean;
  degradeModels?: Readonly<Record<string, string>>;
  degradeMaxTokens?: number;
  /** Where service/environment/team come from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Bearer token for an evaluator that requires one (its read token; see its README "Security"). */
  token?: string;
  /** A file with that token (first non-empty line), re-read on every refresh: wins over `token`. */
  tokenFile?: string;
}

export interface BudgetGatesHandle {
  /** Resolves after the first refresh (ok or not). */
  ready: Promise<void>;
  /** Refreshes now, outside the schedule. */
  refresh(): Promise<void>;
  poller: EvaluatorPoller;
  stop(): void;
}

/** Starts the evaluator-fed gates: background polling plus the per-call decision. */
export function startBudgetGates(options: BudgetGatesOptions): BudgetGatesHandle {
  const refreshMs = options.refreshMs ?? 15_000;
  const poller = new EvaluatorPoller({
    url: options.url.replace(/\/+$/, ''),
    intervalMs: refreshMs,
    timeoutMs: options.timeoutMs ?? 2_000,
    maxStalenessMs: options.maxStalenessMs ?? Math.max(60_000, 4 * refreshMs),
    token: options.token,
    tokenFile: options.tokenFile,
  });
  const gate = new EvaluatorGate(poller, {
    failClosed: options.failClosed ?? false,
    degradeModels: options.degradeModels ?? {},
    degradeMaxTokens: options.degradeMaxTokens,
    resource: resourceLabels(options.env ?? process.env),
  });
  setEvaluatorGate(gate);
  const ready = poller.start();
  return {
    ready,
    refresh: () => poller.refresh(),
    poller,
    stop() {
      poller.stop();
      setEvaluatorGate(undefined);
    },
  };
}

/** `500ms`, `15s`, `2m`, or a bare number of seconds. */
export function parseInterval(variable: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1_000) : Number.NaN;
  if (!(ms >= 100 && ms <= 3_600_000)) {
    throw new ConfigError(
      variable,
      `expected a duration between 100ms and 1h like 500ms, 15s or 2m, got ${JSON.stringify(text)}`,
    );
  }
  return Math.round(ms);
}

function parseModelMap(variable: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [from, to, extra] = entry.split('=').map((s) => s.trim());
    if (!from || !to || extra !== undefined || from === to) {
      throw new ConfigError(
        variable,
        `expected model=cheaper-model pairs separated by commas, got ${JSON.stringify(entry)}`,
      );
    }
    out[from] = to;
  }
  return out;
}

/**
 * Reads the gates' settings from the environment:
 * BURNRATE_EVALUATOR_URL (required to start; without it nothing happens),
 * BURNRATE_EVALUATOR_REFRESH (default 15s), BURNRATE_EVALUATOR_TIMEOUT (default 2s),
 * BURNRATE_EVALUATOR_MAX_STALENESS (default 4 refreshes, at least 60s),
 * BURNRATE_EVALUATOR_FAIL (`open`, the default, or `closed`),
 * BURNRATE_DEGRADE_MODELS (`gpt-4o=gpt-4o-mini,...`), BURNRATE_DEGRADE_MAX_TOKENS,
 * BURNRATE_EVALUATOR_TOKEN_FILE (a file with the evaluator's read token, re-read on every refresh)
 * or BURNRATE_EVALUATOR_TOKEN (the token itself). A bad value throws one ConfigError naming the variable.
 */
export function budgetGatesOptionsFromEnv(
  env: Record<string, string | undefined>,
): BudgetGatesOptions | undefined {
  const url = env.BURNRATE_EVALUATOR_URL?.trim();
  if (!url) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(
      'BURNRATE_EVALUATOR_URL',
      `expected an http(s) URL like http://127.0.0.1:9464, got ${JSON.stringify(url)}`,
    );
  }
  const opts: BudgetGatesOptions = { url, env };
  const get = (name: string) => env[name]?.trim() || undefined;
  const refresh = get('BURNRATE_EVALUATOR_REFRESH');
  if (refresh) opts.refreshMs = parseInterval('BURNRATE_EVALUATOR_REFRESH', refresh);
  const timeout = get('BURNRATE_EVALUATOR_TIMEOUT');
  if (timeout) opts.timeoutMs = parseInterval('BURNRATE_EVALUATOR_TIMEOUT', timeout);
  const stale = get('BURNRATE_EVALUATOR_MAX_STALENESS');
  if (stale) opts.maxStalenessMs = parseInterval('BURNRATE_EVALUATOR_MAX_STALENESS', stale);
  const fail = get('BURNRATE_EVALUATOR_FAIL')?.toLowerCase();
  if (fail !== undefined && fail !== 'open' && fail !== 'closed') {
    throw new ConfigError(
      'BURNRATE_EVALUATOR_FAIL',
      `expected open or closed, got ${JSON.stringify(env.BURNRATE_EVALUATOR_FAIL)}`,
    );
  }
  opts.failClosed = fail === 'closed';
  const tokenFile = get('BURNRATE_EVALUATOR_TOKEN_FILE');
  if (tokenFile) {
    // Checked once at start-up (never on a call); read again, asynchronously, on every refresh.
    try {
      accessSync(tokenFile, constants.R_OK);
    } catch {
      throw new ConfigError(
        'BURNRATE_EVALUATOR_TOKEN_FILE',
        `cannot read the token file ${JSON.stringify(tokenFile)}`,
      );
    }
    opts.tokenFile = tokenFile;
  }
  const token = get('BURNRATE_EVALUATOR_TOKEN');
  if (token) opts.token = token;
  const models = get('BURNRATE_DEGRADE_MODELS');
  if (models) opts.degradeModels = parseModelMap('BURNRATE_DEGRADE_MODELS', models);
  const cap = get('BURNRATE_DEGRADE_MAX_TOKENS');
  if (cap !== undefined) {
    const n = Number(cap);
    if (!/^\d+$/.test(cap) || n < 1) {
      throw new ConfigError(
        'BURNRATE_DEGRADE_MAX_TOKENS',
        `expected a positive whole number of tokens, got ${JSON.stringify(cap)}`,
      );
    }
    opts.degradeMaxTokens = n;
  }
  return opts;
}

/**
 * For `@burnrate/auto`: starts the evaluator-fed gates when BURNRATE_EVALUATOR_URL is set.
 * Returns a function that stops them (a no-op when nothing was started).
 */
export function startBudgetGatesFromEnv(
  env: Record<string, string | undefined> = process.env,
): () => void {
  const opts = budgetGatesOptionsFromEnv(env);
  if (!opts) return () => {};
  const handle = startBudgetGates(opts);
  return () => handle.stop();
}
