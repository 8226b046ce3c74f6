// Rolling spend forecasts for three horizons (next 7 days, month end, quarter end) from an
// hourly or daily spend history, in the budget's time zone.

import {
  calendarPeriod,
  startOfDayAt,
  startOfLocalDay,
  wallTimeAt,
} from '@burnrate/budget-evaluator';
import {
  fitHoltWinters,
  type HwParams,
  pointForecast,
  quantile,
  seededRandom,
  simulateSums,
} from './holt-winters.ts';

/** Spend in one bucket of the history: [t, t + bucket) in epoch ms, in US dollars. */
export interface SpendPoint {
  t: number;
  usd: number;
}

export interface Band {
  low: number;
  expected: number;
  high: number;
}

export type HorizonName = 'next_7_days' | 'month_end' | 'quarter_end';

export interface HorizonForecast {
  horizon: HorizonName;
  /** Start of what `total` covers: `now` for the next 7 days, else the month/quarter start. */
  periodStart: number;
  /** End of the horizon (exclusive), epoch ms. */
  end: number;
  /** Spend from `periodStart` to `now` (0 for the next 7 days). */
  spentUsd: number;
  /** False when the history does not reach back to `periodStart` (spentUsd is then partial). */
  spentComplete: boolean;
  /** Spend from `now` to `end`. */
  remaining: Band;
  /** spentUsd + remaining. */
  total: Band;
}

export const MODEL_NAME = 'holt-winters-additive-weekly-damped';

export type ForecastResult =
  | {
      ok: true;
      now: number;
      timeZone: string;
      model: { name: string; params: HwParams; rmseUsdPerDay: number; historyDays: number };
      /** Nominal probability that the truth falls inside [low, high]. */
      coverage: number;
      horizons: HorizonForecast[];
    }
  | {
      ok: false;
      reason: 'insufficient_history';
      now: number;
      timeZone: string;
      historyDays: number;
      requiredDays: number;
      message: string;
    };

export interface ForecastOptions {
  now: number;
  timeZone: string;
  /** Whole local days of history needed (default 14: two weekly seasons). */
  minHistoryDays?: number;
  /** At most this many recent days are fitted (default 182). */
  maxHistoryDays?: number;
  /** Nominal band coverage (default 0.9: the 5th to 95th percentile). */
  coverage?: number;
  /** Simulated paths per horizon (default 1000). */
  paths?: number;
  seed?: number;
}

const DAY = 86_400_000;

function nextDayStart(dayStart: number, timeZone: string): number {
  const w = wallTimeAt(dayStart + 3 * 3_600_000, timeZone);
  return startOfLocalDay(w.year, w.month, w.day + 1, timeZone);
}

/** Local day boundaries [b0, b1, …, bn] from `from` (a day start) up to `until` (inclusive). */
function dayBounds(from: number, until: number, timeZone: string): number[] {
  const out = [from];
  while (out[out.length - 1] < until) out.push(nextDayStart(out[out.length - 1], timeZone));
  return out;
}

function sumBetween(points: readonly SpendPoint[], start: number, end: number): number {
  let s = 0;
  for (const p of points) if (p.t >= start && p.t < end) s += p.usd;
  return s;
}

/** Forecasts spend to the three horizons; a typed "cannot" when the history is too short. */
export function rollingForecast(
  history: readonly SpendPoint[],
  opts: ForecastOptions,
): ForecastResult {
  const { now, timeZone } = opts;
  const minDays = opts.minHistoryDays ?? 14;
  const coverage = opts.coverage ?? 0.9;
  const points = history
    .filter((p) => p.t < now && Number.isFinite(p.usd))
    .sort((a, b) => a.t - b.t);
  const today = startOfDayAt(now, timeZone);
  let first = points.length > 0 ? startOfDayAt(points[0].t, timeZone) : today;
  if (points.length > 0 && points[0].t - first >= 3_600_000) first = nextDayStart(first, timeZone);
  const earliest = startOfDayAt(now - (opts.maxHistoryDays ?? 126) * DAY, timeZone);
  const past = first < today ? dayBounds(Math.max(first, earliest), today, timeZone) : [today];
  const days = past.length - 1;
  if (days < minDays) {
    return {
      ok: false,
      reason: 'insufficient_history',
      now,
      timeZone,
      historyDays: Math.max(0, days),
      requiredDays: minDays,
      message: `cannot forecast: ${Math.max(0, days)} whole day(s) of spend history, ${minDays} needed (two weeks, for the weekday pattern)`,
    };
  }
  const daily = new Array<number>(days).fill(0);
  let d = 0;
  for (const p of points) {
    if (p.t < past[0]) continue;
    while (d < days && p.t >= past[d + 1]) d++;
    if (d >= days) break;
    daily[d] += p.usd;
  }
  const fit = fitHoltWinters(daily);
  const month = calendarPeriod(now, 'month', timeZone);
  const quarter = calendarPeriod(now, 'quarter', timeZone);
  const ends: Array<[HorizonName, number, number]> = [
    ['next_7_days', now, now + 7 * DAY],
    ['month_end', month.start, month.end],
    ['quarter_end', quarter.start, quarter.end],
  ];
  const future = dayBounds(today, Math.max(...ends.map(([, , e]) => e)), timeZone);
  const point = pointForecast(fit, future.length - 1).map((v) => Math.max(0, v));
  const tail = (1 - coverage) / 2;
  const horizons = ends.map(([horizon, periodStart, end]): HorizonForecast => {
    const weights = point.map((_, k) => {
      const lo = Math.max(future[k], now);
      const hi = Math.min(future[k + 1], end);
      return hi > lo ? (hi - lo) / (future[k + 1] - future[k]) : 0;
    });
    while (weights.length > 0 && weights[weights.length - 1] === 0) weights.pop();
    const expected = weights.reduce((a, w, k) => a + w * point[k], 0);
    const sums = simulateSums(fit, weights, opts.paths ?? 1000, seededRandom(opts.seed ?? 1));
    const remaining = {
      low: Math.min(expected, quantile(sums, tail)),
      expected,
      high: Math.max(expected, quantile(sums, 1 - tail)),
    };
    const spentUsd = horizon === 'next_7_days' ? 0 : sumBetween(points, periodStart, now);
    return {
      horizon,
      periodStart,
      end,
      spentUsd,
      spentComplete: horizon === 'next_7_days' || (points.length > 0 && points[0].t <= periodStart),
      remaining,
      total: {
        low: spentUsd + remaining.low,
        expected: spentUsd + remaining.expected,
        high: spentUsd + remaining.high,
      },
    };
  });
  return {
    ok: true,
    now,
    timeZone,
    model: { name: MODEL_NAME, params: fit.params, rmseUsdPerDay: fit.rmse, historyDays: days },
    coverage,
    horizons,
  };
}
