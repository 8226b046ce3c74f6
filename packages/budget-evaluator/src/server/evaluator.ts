import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { postAlerts } from '../alerts/alertmanager.ts';
import { type AlertPayload, AlertTracker } from '../alerts/tracker.ts';
import { loadConfigFile, parseConfig } from '../config/load.ts';
import { type BudgetResult, evaluateBudgets, SpendState } from '../query/evaluate.ts';
import { planGroups, type QueryGroup } from '../query/plan.ts';
import { PrometheusClient, PrometheusError } from '../query/prometheus.ts';
import type { BudgetConfig } from '../types.ts';
import { hashFile, MISSING_CODES, timerDelay } from './evaluator-helpers.ts';
import { FreshInstall } from './fresh-install.ts';
import { silentLogger } from './log.ts';
import { EvaluatorMetrics } from './metrics.ts';
import type { EvaluatorOptions, MissingCode, StatusDocument } from './options.ts';
import { statusDocument } from './status-document.ts';

export type { EvaluatorOptions, StatusDocument } from './options.ts';

/** The budget evaluator: config (with hot reload), evaluation cycles, alerts, metrics, status. */
export class BudgetEvaluator {
  readonly metrics = new EvaluatorMetrics();
  readonly prom: PrometheusClient;
  private config: BudgetConfig;
  private groups: QueryGroup[];
  private configHash: string;
  private configLoadedAt: number;
  private lastReloadError: string | null = null;
  /** Hash (or `unreadable:<code>`) of the last rejected file, so it is reported once. */
  private rejectedHash: string | null = null;
  private readonly alerts: AlertTracker;
  /** Per-series spend state (see query/ledger/), kept between cycles. */
  private readonly spendState = new SpendState();
  private readonly opts: Required<
    Omit<
      EvaluatorOptions,
      'dashboardUrl' | 'queryTimeoutMs' | 'cycleDeadlineMs' | 'prometheusConnection'
    >
  > & {
    dashboardUrl?: string;
  };
  /** A cycle must be done this long after it starts (ms). */
  private readonly deadlineMs: number;
  /** Since when cycles ran out of time in a row (wall clock ms), null when the last one did not. */
  private slowSince: number | null = null;
  private readonly startedAt = Date.now();
  private results: BudgetResult[] = [];
  private lastEvaluatedAt: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastSuccessWall: number | null = null;
  private missingReason: string | null = null;
  private missingCode: MissingCode | null = null;
  private readonly fresh: FreshInstall;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;
  private rerun = false;
  cycles = 0;
  lastCycleQueries = 0;

  /** Throws ConfigError when the config file is invalid. */
  constructor(options: EvaluatorOptions) {
    this.opts = {
      intervalSeconds: 30,
      resendIntervals: 4,
      reloadCheckMs: 2000,
      dataGraceSeconds: 600,
      now: Date.now,
      log: silentLogger,
      ...options,
    };
    this.config = loadConfigFile(options.configFile);
    this.configHash = hashFile(options.configFile);
    this.configLoadedAt = this.opts.now();
    this.groups = planGroups(this.config.budgets);
    this.deadlineMs =
      options.cycleDeadlineMs ?? Math.max(60_000, 2 * this.opts.intervalSeconds * 1000);
    this.prom = new PrometheusClient({
      url: options.prometheusUrl,
      timeoutMs: options.queryTimeoutMs ?? this.deadlineMs,
      connection: options.prometheusConnection,
    });
    this.fresh = new FreshInstall(
      this.prom,
      this.configLoadedAt,
      this.opts.dataGraceSeconds * 1000,
    );
    this.alerts = new AlertTracker({
      resendIntervals: this.opts.resendIntervals,
      intervalMs: this.opts.intervalSeconds * 1000,
    });
    this.metrics.budgets.set(this.config.budgets.length);
    this.metrics.reloadOk.set(1);
  }

  get budgetConfig(): BudgetConfig {
    return this.config;
  }

  get ready(): boolean {
    return this.lastEvaluatedAt !== null;
  }

  /** Re-reads the config file if its content changed. A bad file keeps the last good config. */
  reloadIfChanged(): 'unchanged' | 'reloaded' | 'rejected' {
    let text: string;
    try {
      text = readFileSync(this.opts.configFile, 'utf8');
    } catch (err) {
      const code = String((err as { code?: string }).code ?? err);
      if (this.rejectedHash === `unreadable:${code}`) return 'unchanged';
      this.rejectedHash = `unreadable:${code}`;
      return this.reject(`${this.opts.configFile}:0:0: cannot read the file (${code})`);
    }
    const hash = createHash('sha256').update(text).digest('hex');
    // The good file back after an error (e.g. deleted, then restored byte for byte) is a
    // successful reload: it clears the error. A bad file is reported once, not every cycle.
    if (hash === this.configHash && this.lastReloadError === null) return 'unchanged';
    if (hash === this.rejectedHash) return 'unchanged';
    try {
      this.config = parseConfig(text, this.opts.configFile);
    } catch (err) {
      this.rejectedHash = hash;
      return this.reject((err as Error).message);
    }
    this.configHash = hash;
    this.rejectedHash = null;
    this.groups = planGroups(this.config.budgets);
    this.configLoadedAt = this.opts.now();
    this.lastReloadError = null;
    this.metrics.budgets.set(this.config.budgets.length);
    this.metrics.reloadOk.set(1);
    this.opts.log('info', 'config reloaded', {
      budgets: this.config.budgets.length,
      groups: this.groups.length,
    });
    return 'reloaded';
  }

  private reject(message: string): 'rejected' {
    this.lastReloadError = message;
    this.metrics.reloadOk.set(0);
    this.metrics.errors.inc({ reason: 'config_reload' });
    this.opts.log('error', 'config reload failed; keeping the last good config', {
      error: message,
      budgets: this.config.budgets.length,
      loadedAt: new Date(this.configLoadedAt).toISOString(),
    });
    return 'rejected';
  }

  /**
   * One evaluation cycle: query, alert, publish. Never throws. Period math and query times use
   * the injected clock; alert timestamps use the real clock (Alertmanager compares endsAt with
   * its own).
   */
  async runCycle(): Promise<void> {
    const started = performance.now();
    this.reloadIfChanged();
    const now = this.opts.now();
    const dashboardUrl = this.opts.dashboardUrl ?? this.config.dashboardUrl;
    let payloads: AlertPayload[];
    try {
      const { budgets } = this.config;
      this.prom.deadline = Date.now() + this.deadlineMs;
      const ev = await evaluateBudgets(budgets, this.prom, now, this.groups, this.spendState);
      this.slowSince = null;
      this.lastCycleQueries = ev.queries;
      this.metrics.queries.set(ev.queries);
      const wasWaiting = this.fresh.waiting;
      const data = await this.fresh.classify(ev.costSeriesMissing && budgets.length > 0, now);
      if (data === 'missing') {
        this.metrics.errors.inc({ reason: 'cost_series_missing' });
        payloads = this.markMissing('no burnrate cost series in Prometheus', 'cost_series_missing');
      } else {
        if (data === 'waiting' && !wasWaiting) {
          this.opts.log('info', 'waiting for the first cost series (fresh install)', {});
        }
        const invalid = ev.results.filter((r) => r.invalid).map((r) => r.budget.name);
        if (invalid.length > 0) {
          this.metrics.errors.inc({ reason: 'cost_data_invalid' });
          this.opts.log('error', 'spend is NaN or infinite (a poisoned cost counter)', {
            budgets: invalid.slice(0, 20),
            count: invalid.length,
          });
        }
        payloads = this.alerts.update(ev.results, Date.now(), dashboardUrl);
        this.results = ev.results;
        this.lastSuccessAt = now;
        this.lastSuccessWall = Date.now();
        this.missingReason = null;
        this.missingCode = null;
        this.metrics.setBudgets(ev.results, (b, t) => this.alerts.isFiring(b, t));
        this.metrics.lastSuccess.set(now / 1000);
        this.metrics.dataMissing.set(0);
        this.metrics.waiting.set(this.fresh.waiting ? 1 : 0);
      }
    } catch (err) {
      const kind = err instanceof PrometheusError ? err.kind : undefined;
      const code: MissingCode = kind ? MISSING_CODES[kind] : 'prometheus_error';
      this.metrics.errors.inc({ reason: code });
      payloads =
        kind === 'timeout'
          ? this.slow((err as Error).message)
          : this.markMissing((err as Error).message, code);
    } finally {
      this.prom.deadline = null;
    }
    this.lastEvaluatedAt = now;
    const errors = await postAlerts(this.opts.alertmanagerUrls, payloads);
    for (const e of errors) {
      this.metrics.errors.inc({ reason: 'alertmanager' });
      this.opts.log('error', 'posting alerts failed', { error: e });
    }
    this.cycles++;
    this.metrics.duration.observe((performance.now() - started) / 1000);
  }

  /**
   * A cycle that ran out of time: Prometheus answers, but slowly. The last good numbers stay
   * published (not stale, not $0) and every active alert is re-sent as it was; only when cycles
   * keep running out of time for longer than {@link slowLimitMs} is it data missing.
   */
  private slow(reason: string) {
    const wall = Date.now();
    this.slowSince ??= wall;
    this.opts.log('warn', 'evaluation cycle ran out of time; keeping the last results', {
      reason,
      deadlineMs: this.deadlineMs,
    });
    const since = Math.max(this.slowSince, this.lastSuccessWall ?? this.startedAt);
    if (this.missingReason !== null || wall - since >= this.slowLimitMs) {
      return this.markMissing(`evaluation keeps running out of time: ${reason}`, 'deadline');
    }
    return this.alerts.hold(wall);
  }

  /** How long cycles may keep running out of time before it is data missing. */
  private get slowLimitMs(): number {
    return Math.max(5 * 60_000, 5 * this.opts.intervalSeconds * 1000);
  }

  private markMissing(reason: string, code: MissingCode) {
    this.fresh.waiting = false;
    this.metrics.waiting.set(0);
    if (this.missingReason === null) this.opts.log('warn', 'cost data missing', { reason });
    this.missingReason = reason;
    this.missingCode = code;
    this.metrics.dataMissing.set(1);
    return this.alerts.missing(Date.now(), reason);
  }

  /** The feed of GET /api/v1/budgets. */
  status(): StatusDocument {
    return statusDocument({
      evaluatedAt: this.lastEvaluatedAt,
      lastSuccessAt: this.lastSuccessAt,
      missing:
        this.missingReason === null ? null : { reason: this.missingReason, code: this.missingCode },
      waiting: this.fresh.waiting,
      config: this.config,
      configFile: this.opts.configFile,
      configLoadedAt: this.configLoadedAt,
      lastReloadError: this.lastReloadError,
      results: this.results,
      alerts: this.alerts,
    });
  }

  private readonly onFileChange = () => {
    if (this.reloadIfChanged() === 'reloaded') this.kick();
  };

  /** Starts the cycle loop and the config watcher; the first cycle runs at once. */
  start(): void {
    this.stopped = false;
    watchFile(this.opts.configFile, { interval: this.opts.reloadCheckMs }, this.onFileChange);
    this.kick();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.rerun = true; // e.g. a reload during a cycle: evaluate again right after it
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.rerun = false;
    this.inFlight = this.runCycle().finally(() => {
      this.inFlight = null;
      if (this.stopped) return;
      if (this.rerun) this.kick();
      else this.timer = setTimeout(() => this.kick(), timerDelay(this.opts.intervalSeconds));
    });
  }

  /** Stops scheduling, waits for the cycle in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    unwatchFile(this.opts.configFile, this.onFileChange);
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
    this.prom.close();
  }
}
