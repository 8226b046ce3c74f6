// Synthetic spend histories with a known answer, for the backtest and the tests.

import type { SpendPoint } from './forecast.ts';
import { seededRandom } from './holt-winters.ts';

export type HistoryKind = 'steady' | 'weekly' | 'step' | 'growth';

export const HISTORY_KINDS: readonly HistoryKind[] = ['steady', 'weekly', 'step', 'growth'];

export const HISTORY_DESCRIPTIONS: Record<HistoryKind, string> = {
  steady: '$100/day',
  weekly: 'Mon–Fri $120, Sat–Sun $50',
  step: 'weekly, ×1.6 from day 120 on',
  growth: 'weekly, +0.5 %/day compound (+58 %/quarter)',
};

/** The day of the step change in the `step` history. */
export const STEP_DAY = 120;

/** Weekday profile by ISO weekday (1 = Monday): weekdays busy, weekends quiet. */
const WEEKLY = [0, 120, 120, 120, 120, 120, 50, 50];

export interface SyntheticOptions {
  /** First day, 00:00 UTC (epoch ms). */
  start: number;
  days: number;
  /** Relative standard deviation of the daily noise (default 0.05). */
  noise?: number;
  seed?: number;
}

/** The noise-free daily spend of day `i` (from `start`) of a history. */
export function expectedDaily(kind: HistoryKind, start: number, i: number): number {
  if (kind === 'steady') return 100;
  const weekday = ((new Date(start + i * 86_400_000).getUTCDay() + 6) % 7) + 1;
  const base = WEEKLY[weekday];
  if (kind === 'weekly') return base;
  if (kind === 'step') return i >= STEP_DAY ? base * 1.6 : base;
  return base * 1.005 ** i;
}

/** Daily values (with noise) of a history. */
export function syntheticDaily(kind: HistoryKind, opts: SyntheticOptions): number[] {
  const random = seededRandom(opts.seed ?? 7);
  const noise = opts.noise ?? 0.05;
  const out: number[] = [];
  for (let i = 0; i < opts.days; i++) {
    // Box–Muller: one standard normal per day.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out.push(Math.max(0, expectedDaily(kind, opts.start, i) * (1 + noise * z)));
  }
  return out;
}

/** Hourly points (each day's spend spread evenly over its 24 UTC hours). */
export function toHourly(daily: readonly number[], start: number): SpendPoint[] {
  const out: SpendPoint[] = [];
  daily.forEach((usd, i) => {
    for (let h = 0; h < 24; h++)
      out.push({ t: start + i * 86_400_000 + h * 3_600_000, usd: usd / 24 });
  });
  return out;
}
