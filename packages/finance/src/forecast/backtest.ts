// Backtest of the rolling forecast on synthetic histories with a known answer.
// Run: node --conditions=@burnrate/source packages/finance/src/forecast/backtest.ts
import { pathToFileURL } from 'node:url';
import { type HorizonName, rollingForecast, type SpendPoint } from './forecast.ts';
import {
  HISTORY_DESCRIPTIONS,
  HISTORY_KINDS,
  type HistoryKind,
  STEP_DAY,
  syntheticDaily,
  toHourly,
} from './synthetic.ts';

export interface BacktestRow {
  history: HistoryKind;
  horizon: HorizonName;
  origins: number;
  /** Mean absolute percentage error of the expected remaining spend. */
  mape: number;
  /** Share of origins whose true remaining spend fell inside [low, high]. */
  coverage: number;
  /** Mean band width relative to the truth. */
  width: number;
  /** MAPE of the naive forecast: the last 7 days' mean daily spend × days left. */
  naiveMape: number;
}

const DAY = 86_400_000;
const HORIZONS: readonly HorizonName[] = ['next_7_days', 'month_end', 'quarter_end'];
export const BACKTEST_START = Date.UTC(2025, 0, 1); // a Wednesday

function sumBetween(points: readonly SpendPoint[], start: number, end: number): number {
  let s = 0;
  // Points are hourly and ordered: index straight into the range.
  const from = Math.max(0, Math.floor((start - points[0].t) / 3_600_000));
  for (let i = from; i < points.length && points[i].t < end; i++) {
    if (points[i].t >= start) s += points[i].usd;
  }
  return s;
}

/**
 * Forecasts from origins every `everyDays` days at 13:00 UTC, from day 56 (8 weeks of history)
 * until the last quarter end is still inside the synthetic year; for the step history only from
 * one week after the step (a step inside the horizon cannot be foreseen by any model).
 */
export function runBacktest(opts: { everyDays?: number; seed?: number } = {}): BacktestRow[] {
  const rows: BacktestRow[] = [];
  const days = 365 + 100;
  for (const history of HISTORY_KINDS) {
    const hourly = toHourly(
      syntheticDaily(history, { start: BACKTEST_START, days, seed: opts.seed }),
      BACKTEST_START,
    );
    const acc = new Map(HORIZONS.map((h) => [h, { n: 0, ape: 0, hit: 0, width: 0, naive: 0 }]));
    const firstDay = history === 'step' ? STEP_DAY + 7 : 56;
    for (let day = firstDay; day <= 365; day += opts.everyDays ?? 3) {
      const now = BACKTEST_START + day * DAY + 13 * 3_600_000;
      const past = hourly.filter((p) => p.t < now);
      const result = rollingForecast(past, { now, timeZone: 'UTC' });
      if (!result.ok) throw new Error(result.message);
      const lastWeekRate = sumBetween(hourly, now - 7 * DAY, now) / 7;
      for (const h of result.horizons) {
        const truth = sumBetween(hourly, now, h.end);
        const a = acc.get(h.horizon)!;
        a.n++;
        a.ape += Math.abs(h.remaining.expected - truth) / truth;
        a.hit += truth >= h.remaining.low && truth <= h.remaining.high ? 1 : 0;
        a.width += (h.remaining.high - h.remaining.low) / truth;
        a.naive += Math.abs((lastWeekRate * (h.end - now)) / DAY - truth) / truth;
      }
    }
    for (const [horizon, a] of acc) {
      rows.push({
        history,
        horizon,
        origins: a.n,
        mape: a.ape / a.n,
        coverage: a.hit / a.n,
        width: a.width / a.n,
        naiveMape: a.naive / a.n,
      });
    }
  }
  return rows;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The backtest as a Markdown table. */
export function formatTable(rows: readonly BacktestRow[]): string {
  const lines = [
    '| history | horizon | origins | MAPE | truth in band | band width | naive MAPE |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.history} (${HISTORY_DESCRIPTIONS[r.history]}) | ${r.horizon} | ${r.origins} | ${pct(r.mape)} | ${pct(r.coverage)} | ${pct(r.width)} | ${pct(r.naiveMape)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const rows = runBacktest();
  console.log(formatTable(rows));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
