import type { BudgetResult } from '../query/evaluate.ts';
import { equalityLabels } from '../query/selector.ts';
import type { Threshold } from '../types.ts';
import { dashboardLink, thresholdAnnotations, thresholdLabel } from './format.ts';

export interface AlertPayload {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

export const THRESHOLD_ALERT = 'BurnrateBudgetThreshold';
export const DATA_MISSING_ALERT = 'BurnrateBudgetDataMissing';
export const DATA_INVALID_ALERT = 'BurnrateBudgetDataInvalid';

interface Active {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  budget: string;
  threshold: Threshold;
  generatorURL?: string;
  /** Period instance it fired in; a new period resolves at once. */
  periodId: string;
  /** Consecutive cycles a forecast alert has been back under its threshold. */
  underCycles: number;
}

export interface TrackerOptions {
  /** endsAt of a firing alert is this many evaluation intervals ahead. */
  resendIntervals: number;
  intervalMs: number;
  /**
   * A forecast alert resolves after this many consecutive cycles under its threshold within
   * the same period (default 3), so a noisy forecast does not flap. Actual-spend alerts, and
   * every alert at period reset, resolve at once.
   */
  forecastClearCycles?: number;
}

function indexKey(budget: string, t: Threshold): string {
  return `${budget}|${t.kind}|${t.ratio}`;
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Alert labels of a budget threshold: identical on every replica, so Alertmanager dedups. */
export function thresholdLabels(r: BudgetResult, t: Threshold): Record<string, string> {
  return {
    ...equalityLabels(r.budget.matchers),
    alertname: THRESHOLD_ALERT,
    budget: r.budget.name,
    severity: t.severity,
    threshold: thresholdLabel(t.ratio),
    kind: t.kind,
  };
}

/**
 * The alert state machine. A threshold fires when actual (or forecast) spend reaches
 * ratio x limit and resolves when it is back under (period reset, forecast falling, budget
 * removed). Firing alerts are re-sent every cycle with endsAt a few cycles ahead. When data is
 * missing nothing resolves: active alerts are re-sent and a data-missing alert fires.
 */
export class AlertTracker {
  private readonly active = new Map<string, Active>();
  /** `budget|kind|ratio` of every active threshold alert (for O(1) isFiring). */
  private readonly firingIndex = new Set<string>();
  private dataMissingSince: number | null = null;
  /** Budgets whose spend is NaN/infinite: their data-invalid alert, by budget name. */
  private readonly invalid = new Map<string, { labels: Record<string, string>; since: number }>();
  private readonly opts: TrackerOptions;

  constructor(opts: TrackerOptions) {
    this.opts = opts;
  }

  private endsAt(now: number): string {
    return new Date(now + this.opts.resendIntervals * this.opts.intervalMs).toISOString();
  }

  private firing(a: Active, now: number): AlertPayload {
    const p: AlertPayload = {
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: this.endsAt(now),
    };
    if (a.generatorURL) p.generatorURL = a.generatorURL;
    return p;
  }

  private resolved(a: Active, now: number): AlertPayload {
    return { ...this.firing(a, now), endsAt: new Date(now).toISOString() };
  }

  /** After a successful evaluation with cost data present: the alerts to post. */
  update(
    results: readonly BudgetResult[],
    now: number,
    dashboardUrl: string | null,
  ): AlertPayload[] {
    const out: AlertPayload[] = [];
    const seen = new Set<string>();
    const invalidNow = new Set<string>();
    for (const r of results) {
      const dashboard = dashboardLink(dashboardUrl, r.budget.name);
      if (r.invalid) {
        invalidNow.add(r.budget.name);
        out.push(...this.keepInvalid(r, now, seen));
        continue;
      }
      for (const t of r.budget.thresholds) {
        const value = t.kind === 'actual' ? r.spent : r.forecast;
        const over = value >= t.ratio * r.budget.limitUsd - 1e-9;
        if (!over) {
          if (t.kind === 'forecast') this.holdForecast(r, t, dashboard, now, seen, out);
          continue;
        }
        const labels = thresholdLabels(r, t);
        const key = labelKey(labels);
        seen.add(key);
        const prev = this.active.get(key);
        const a: Active = {
          labels,
          annotations: thresholdAnnotations(r, t, dashboard),
          startsAt: prev?.startsAt ?? now,
          budget: r.budget.name,
          threshold: t,
          periodId: r.window.id,
          underCycles: 0,
        };
        if (dashboard) a.generatorURL = dashboard;
        this.active.set(key, a);
        out.push(this.firing(a, now));
      }
    }
    for (const [key, a] of this.active) {
      if (!seen.has(key)) {
        out.push(this.resolved(a, now));
        this.active.delete(key);
      }
    }
    for (const [name, inv] of this.invalid) {
      if (invalidNow.has(name)) continue;
      out.push(this.invalidAlert(inv.labels, inv.since, now, 'the spend is a number again', true));
      this.invalid.delete(name);
    }
    this.firingIndex.clear();
    for (const a of this.active.values()) this.firingIndex.add(indexKey(a.budget, a.threshold));
    if (this.dataMissingSince !== null) {
      out.push(this.dataMissingAlert(now, 'data is back', true));
      this.dataMissingSince = null;
    }
    return out;
  }

  /**
   * A budget whose spend is NaN or infinite: its data-invalid alert fires and its threshold
   * alerts are kept as they were (nothing resolves on data that cannot be read).
   */
  private keepInvalid(r: BudgetResult, now: number, seen: Set<string>): AlertPayload[] {
    const out: AlertPayload[] = [];
    for (const t of r.budget.thresholds) {
      const key = labelKey(thresholdLabels(r, t));
      const prev = this.active.get(key);
      if (!prev) continue;
      seen.add(key);
      out.push(this.firing(prev, now));
    }
    const name = r.budget.name;
    const inv = this.invalid.get(name) ?? {
      labels: {
        ...equalityLabels(r.budget.matchers),
        alertname: DATA_INVALID_ALERT,
        budget: name,
        severity: 'critical',
      },
      since: now,
    };
    this.invalid.set(name, inv);
    const what = Number.isNaN(r.spent) ? 'NaN' : r.spent > 0 ? '+Inf' : '-Inf';
    out.push(
      this.invalidAlert(
        inv.labels,
        inv.since,
        now,
        `Prometheus returned a spend of ${what} for its cost series`,
        false,
      ),
    );
    return out;
  }

  private invalidAlert(
    labels: Record<string, string>,
    since: number,
    now: number,
    reason: string,
    resolved: boolean,
  ): AlertPayload {
    return {
      labels,
      annotations: {
        summary: `Budget ${labels.budget} cannot be evaluated: ${reason}`,
        description:
          'A cost counter of this budget holds NaN or an infinity (a bad value was added to it). ' +
          'Its threshold alerts are kept as they were until the spend is a number again; find ' +
          'the series with `burnrate_llm_cost_usd_total != burnrate_llm_cost_usd_total` or `== +Inf`.',
        since: new Date(since).toISOString(),
      },
      startsAt: new Date(since).toISOString(),
      endsAt: resolved ? new Date(now).toISOString() : this.endsAt(now),
    };
  }

  /** Whether this budget's spend is NaN/infinite (as of the last update). */
  isInvalid(budget: string): boolean {
    return this.invalid.has(budget);
  }

  /** Keeps a firing forecast alert up for a few cycles under its threshold (hysteresis). */
  private holdForecast(
    r: BudgetResult,
    t: Threshold,
    dashboard: string | null,
    now: number,
    seen: Set<string>,
    out: AlertPayload[],
  ): void {
    const key = labelKey(thresholdLabels(r, t));
    const prev = this.active.get(key);
    const clear = this.opts.forecastClearCycles ?? 3;
    if (!prev || prev.periodId !== r.window.id || prev.underCycles + 1 >= clear) return;
    prev.underCycles++;
    prev.annotations = thresholdAnnotations(r, t, dashboard);
    seen.add(key);
    out.push(this.firing(prev, now));
  }

  /**
   * A cycle that ran out of time (Prometheus slow, not gone): every active alert is re-sent as
   * it was, nothing resolves and nothing new fires; data-missing is not raised (yet).
   */
  hold(now: number): AlertPayload[] {
    const out = [...this.active.values()].map((a) => this.firing(a, now));
    for (const inv of this.invalid.values()) {
      out.push(
        this.invalidAlert(inv.labels, inv.since, now, 'its spend was NaN or infinite', false),
      );
    }
    return out;
  }

  /** When Prometheus fails or the cost series are gone: keep everything firing, add data-missing. */
  missing(now: number, reason: string): AlertPayload[] {
    if (this.dataMissingSince === null) this.dataMissingSince = now;
    const out = [...this.active.values()].map((a) => this.firing(a, now));
    for (const inv of this.invalid.values()) {
      out.push(
        this.invalidAlert(inv.labels, inv.since, now, 'its spend was NaN or infinite', false),
      );
    }
    out.push(this.dataMissingAlert(now, reason, false));
    return out;
  }

  private dataMissingAlert(now: number, reason: string, resolved: boolean): AlertPayload {
    const since = new Date(this.dataMissingSince ?? now).toISOString();
    return {
      labels: { alertname: DATA_MISSING_ALERT, severity: 'critical' },
      annotations: {
        summary: `Burnrate budgets cannot be evaluated: ${reason}`,
        description:
          'Budget alerts are kept as they were (none is resolved on missing data) until cost data is back.',
        since,
      },
      startsAt: since,
      endsAt: resolved ? new Date(now).toISOString() : this.endsAt(now),
    };
  }

  /** Whether this budget's threshold is firing now. */
  isFiring(budget: string, t: Threshold): boolean {
    return this.firingIndex.has(indexKey(budget, t));
  }

  get dataMissing(): boolean {
    return this.dataMissingSince !== null;
  }
}
