// What a digest says, and the pure computations behind it (no I/O).
import type { ForecastResult } from '../forecast/forecast.ts';
import type { PromRangeSeries, PromSample } from './prometheus.ts';

export type MoverDimension = 'team' | 'model' | 'agent';

export interface Mover {
  key: string;
  thisWeekUsd: number;
  lastWeekUsd: number;
  deltaUsd: number;
  /** deltaUsd / lastWeekUsd; null when last week was 0. */
  deltaRatio: number | null;
}

export interface FiredAlert {
  alertname: string;
  /** The alert's labels without alertname/alertstate. */
  labels: Record<string, string>;
  firstSeen: number;
  lastSeen: number;
  /** Approximate firing time within the week, minutes (resolution: the query step). */
  firingMinutes: number;
  stillFiring: boolean;
}

export interface SpendJump {
  team: string;
  /** Start of the local day, epoch ms. */
  day: number;
  usd: number;
  /** Same weekday one week earlier. */
  baselineUsd: number;
  /** usd / baselineUsd; null when the baseline was 0. */
  ratio: number | null;
}

export interface BudgetRisk {
  budget: string;
  limitUsd: number;
  spendUsd: number | null;
  forecastUsd: number | null;
  utilization: number | null;
  forecastRatio: number | null;
  reasons: Array<'utilization' | 'forecast'>;
}

export interface DigestData {
  generatedAt: number;
  timeZone: string;
  week: { start: number; end: number };
  totals: { thisWeekUsd: number; lastWeekUsd: number };
  movers: Record<MoverDimension, Mover[]>;
  alerts: FiredAlert[];
  jumps: SpendJump[];
  budgets: { atRisk: BudgetRisk[]; evaluated: number };
  forecast: ForecastResult | null;
  dashboardUrl: string | null;
  /** Sections that could not be computed (a query failed), with the reason. */
  problems: string[];
}

const label = (s: PromSample, dim: string) => s.metric[dim] || '(none)';

/** Movers: every key of either week, largest absolute change first, at most `top`. */
export function topMovers(
  thisWeek: PromSample[],
  lastWeek: PromSample[],
  dim: MoverDimension,
  top: number,
): Mover[] {
  const rows = new Map<string, Mover>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, thisWeekUsd: 0, lastWeekUsd: 0, deltaUsd: 0, deltaRatio: null };
      rows.set(key, r);
    }
    return r;
  };
  for (const s of thisWeek) if (Number.isFinite(s.value)) row(label(s, dim)).thisWeekUsd += s.value;
  for (const s of lastWeek) if (Number.isFinite(s.value)) row(label(s, dim)).lastWeekUsd += s.value;
  for (const r of rows.values()) {
    r.deltaUsd = r.thisWeekUsd - r.lastWeekUsd;
    r.deltaRatio = r.lastWeekUsd > 0 ? r.deltaUsd / r.lastWeekUsd : null;
  }
  return [...rows.values()]
    .filter((r) => Math.abs(r.deltaUsd) >= 0.005)
    .sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd) || a.key.localeCompare(b.key))
    .slice(0, top);
}

/** Groups a range query of ALERTS{alertstate="firing"} into one row per alert. */
export function firedAlerts(series: PromRangeSeries[], endMs: number, stepSeconds: number) {
  const out: FiredAlert[] = [];
  for (const s of series) {
    const present = s.values.filter(([, v]) => v > 0).map(([t]) => t * 1000);
    if (present.length === 0) continue;
    const { __name__: _n, alertname, alertstate: _s, ...labels } = s.metric;
    out.push({
      alertname: alertname ?? '(unnamed)',
      labels,
      firstSeen: present[0],
      lastSeen: present[present.length - 1],
      firingMinutes: (present.length * stepSeconds) / 60,
      stillFiring: present[present.length - 1] >= endMs - stepSeconds * 1000,
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.stillFiring) - Number(a.stillFiring) ||
      b.firingMinutes - a.firingMinutes ||
      a.alertname.localeCompare(b.alertname),
  );
}

/**
 * Days of the week whose spend jumped against the same weekday a week before: ratio ≥ `ratio`
 * (or a zero baseline) and at least `minUsd` more. `days` holds local day starts: 15 bounds of
 * 14 days, the first 7 the baseline week.
 */
export function spendJumps(
  byTeam: Map<string, number[]>,
  days: number[],
  opts: { ratio: number; minUsd: number },
): SpendJump[] {
  const out: SpendJump[] = [];
  for (const [team, daily] of byTeam) {
    for (let d = 7; d < 14; d++) {
      const usd = daily[d] ?? 0;
      const base = daily[d - 7] ?? 0;
      if (usd - base < opts.minUsd) continue;
      if (base > 0 && usd / base < opts.ratio) continue;
      out.push({ team, day: days[d], usd, baselineUsd: base, ratio: base > 0 ? usd / base : null });
    }
  }
  return out.sort((a, b) => b.usd - b.baselineUsd - (a.usd - a.baselineUsd) || a.day - b.day);
}

/** Budgets at risk from the evaluator's gauges (max per budget: replicas agree). */
export function budgetsAtRisk(
  gauges: { limit: PromSample[]; spend: PromSample[]; forecast: PromSample[]; util: PromSample[] },
  opts: { utilization: number; forecast: number },
): { atRisk: BudgetRisk[]; evaluated: number } {
  const by = (xs: PromSample[]) => {
    const m = new Map<string, number>();
    for (const s of xs) {
      const b = s.metric.budget;
      if (b && Number.isFinite(s.value)) m.set(b, Math.max(m.get(b) ?? -Infinity, s.value));
    }
    return m;
  };
  const limit = by(gauges.limit);
  const spend = by(gauges.spend);
  const forecast = by(gauges.forecast);
  const util = by(gauges.util);
  const atRisk: BudgetRisk[] = [];
  for (const [budget, limitUsd] of limit) {
    const u = util.get(budget) ?? null;
    const f = forecast.get(budget) ?? null;
    const fr = f !== null && limitUsd > 0 ? f / limitUsd : null;
    const reasons: BudgetRisk['reasons'] = [];
    if (u !== null && u >= opts.utilization) reasons.push('utilization');
    if (fr !== null && fr >= opts.forecast) reasons.push('forecast');
    if (reasons.length === 0) continue;
    atRisk.push({
      budget,
      limitUsd,
      spendUsd: spend.get(budget) ?? null,
      forecastUsd: f,
      utilization: u,
      forecastRatio: fr,
      reasons,
    });
  }
  const worst = (r: BudgetRisk) => Math.max(r.utilization ?? 0, r.forecastRatio ?? 0);
  atRisk.sort((a, b) => worst(b) - worst(a) || a.budget.localeCompare(b.budget));
  return { atRisk, evaluated: limit.size };
}
