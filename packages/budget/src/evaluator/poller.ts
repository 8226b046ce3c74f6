import { readFile } from 'node:fs/promises';
import { burnrateLogger } from '@burnrate/core';
import { type EvaluatedBudget, parseStatus } from './status.ts';

/**
 * A budget whose spend Prometheus answered as NaN or an infinity (`invalid_data`) keeps the state
 * and spend of its last valid answer, so a poisoned counter cannot lift a block; with none, it
 * stays `invalid_data` and is decided as spent 0 (the evaluator alerts on it).
 */
export function keepLastValid(
  previous: readonly EvaluatedBudget[],
  next: EvaluatedBudget[],
): EvaluatedBudget[] {
  if (!next.some((b) => b.state === 'invalid_data')) return next;
  const last = new Map(previous.map((b) => [b.name, b]));
  return next.map((b) => {
    const before = last.get(b.name);
    if (b.state !== 'invalid_data' || !before || before.state === 'invalid_data') return b;
    return {
      ...b,
      state: before.state,
      spentUsd: before.spentUsd,
      utilization: before.utilization,
    };
  });
}

export type Freshness = 'fresh' | 'stale' | 'unreachable';

export interface PollerOptions {
  /** The evaluator's base URL, e.g. http://127.0.0.1:9464. */
  url: string;
  intervalMs: number;
  /** Per request. */
  timeoutMs: number;
  /** How long the last good states are used while refreshes fail. */
  maxStalenessMs: number;
  /** A bearer token for an evaluator that requires one (its read token). */
  token?: string;
  /**
   * A file holding the token (its first non-empty line), re-read on every refresh so a rotated
   * token is picked up; wins over `token`.
   */
  tokenFile?: string;
  now?: () => number;
}

/**
 * Polls GET /api/v1/budgets in the background and keeps the last good answer. Calls never wait
 * for it: they read `states` and `freshness()`, which cost nothing on the call path.
 */
export class EvaluatorPoller {
  readonly options: PollerOptions;
  states: readonly EvaluatedBudget[] = [];
  /** Bumped on every successful refresh (caches keyed on it stay valid until then). */
  generation = 0;
  lastSuccessAt: number | undefined;
  lastError: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #inflight: Promise<void> | undefined;
  readonly #now: () => number;

  constructor(options: PollerOptions) {
    this.options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Starts polling; the first refresh runs at once. Resolves when it is done (ok or not). */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  freshness(now = this.#now()): Freshness {
    if (this.lastSuccessAt === undefined) return 'unreachable';
    const age = now - this.lastSuccessAt;
    if (age > this.options.maxStalenessMs) return 'unreachable';
    return this.lastError === undefined ? 'fresh' : 'stale';
  }

  /** One refresh now (at most one in flight). */
  refresh(): Promise<void> {
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #tick(): Promise<void> {
    await this.refresh();
    if (this.#stopped) return;
    // +-10 % jitter, so a fleet of processes started together does not poll in lockstep.
    const delay = this.options.intervalMs * (0.9 + 0.2 * Math.random());
    this.#timer = setTimeout(() => void this.#tick(), delay);
    this.#timer.unref();
  }

  /** The token to send: the token file's first non-empty line (read off the call path), or `token`. */
  async #token(): Promise<string | undefined> {
    const file = this.options.tokenFile;
    if (!file) return this.options.token;
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw new Error(
        `cannot read the evaluator token file ${file}: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    const token = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '');
    if (!token) throw new Error(`the evaluator token file ${file} is empty`);
    return token;
  }

  async #fetch(): Promise<void> {
    const url = `${this.options.url}/api/v1/budgets`;
    try {
      const token = await this.#token();
      const res = await fetch(url, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: token
          ? { accept: 'application/json', authorization: `Bearer ${token}` }
          : { accept: 'application/json' },
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`GET ${url} answered ${res.status}`);
      }
      this.states = keepLastValid(this.states, parseStatus(this.options.url, await res.json()));
      this.generation++;
      this.lastSuccessAt = this.#now();
      if (this.lastError !== undefined)
        burnrateLogger.info(`budget evaluator ${url} reachable again`);
      this.lastError = undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.lastError === undefined) {
        burnrateLogger.warn(`budget gates: cannot refresh budget states from ${url}: ${message}`);
      }
      this.lastError = message;
    }
  }
}
