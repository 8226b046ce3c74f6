import type { AlertTracker } from '../alerts/tracker.ts';
import type { BudgetResult } from '../query/evaluate.ts';
import { formatSelector } from '../query/selector.ts';
import type { Budget } from '../types.ts';

/**
 * `waiting`: a fresh install, no cost series seen yet (nothing alerts); `invalid_data`: the
 * spend is NaN or infinite (a poisoned counter; the numbers are null).
 */
export type BudgetState = 'ok' | 'warning' | 'exceeded' | 'waiting' | 'invalid_data';

/** One budget in GET /api/v1/budgets (documented in the package README; keep stable). */
export interface BudgetStatus {
  name: string;
  description: string | null;
  selector: { matchers: Budget['matchers']; promql: string };
  sources: Budget['sources'];
  period: { spec: string; timezone: string | null; start: string; end: string };
  state: BudgetState;
  limitUsd: number;
  spentUsd: number | null;
  forecastUsd: number | null;
  forecastLowUsd: number | null;
  forecastHighUsd: number | null;
  utilization: number | null;
  forecastUtilization: number | null;
  thresholds: Array<{ ratio: number; kind: string; severity: string; firing: boolean }>;
  enforcement: Budget['enforcement'];
  evaluatedAt: string;
  /** True while data is missing: the numbers are those of the last good evaluation. */
  stale: boolean;
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 1e6) / 1e6 : null);

export function budgetStatus(
  r: BudgetResult,
  alerts: AlertTracker,
  evaluatedAt: number,
  stale: boolean,
  waiting = false,
): BudgetStatus {
  const b = r.budget;
  const thresholds = b.thresholds.map((t) => ({
    ratio: t.ratio,
    kind: t.kind,
    severity: t.severity,
    firing: alerts.isFiring(b.name, t),
  }));
  const state: BudgetState = r.invalid
    ? 'invalid_data'
    : waiting
      ? 'waiting'
      : r.spent >= b.limitUsd - 1e-9
        ? 'exceeded'
        : thresholds.some((t) => t.firing)
          ? 'warning'
          : 'ok';
  return {
    name: b.name,
    description: b.description,
    selector: { matchers: b.matchers, promql: formatSelector(b.matchers) },
    sources: b.sources,
    period: {
      spec: b.periodText,
      timezone: b.period.kind === 'calendar' ? b.period.timeZone : null,
      start: new Date(r.window.start).toISOString(),
      end: new Date(r.window.end).toISOString(),
    },
    state,
    limitUsd: b.limitUsd,
    spentUsd: round(r.spent),
    forecastUsd: round(r.forecast),
    forecastLowUsd: round(r.forecastLow),
    forecastHighUsd: round(r.forecastHigh),
    utilization: round(r.spent / b.limitUsd),
    forecastUtilization: round(r.forecast / b.limitUsd),
    thresholds,
    enforcement: b.enforcement,
    evaluatedAt: new Date(evaluatedAt).toISOString(),
    stale,
  };
}
