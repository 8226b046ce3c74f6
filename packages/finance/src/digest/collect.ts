// Gathers a digest's data from Prometheus: each section apart, so one failed query leaves the
// others standing (the failure is listed in `problems`).

import {
  calendarPeriod,
  startOfDayAt,
  startOfLocalDay,
  wallTimeAt,
} from '@burnrate/budget-evaluator';
import { rollingForecast, type SpendPoint } from '../forecast/forecast.ts';
import {
  budgetsAtRisk,
  type DigestData,
  firedAlerts,
  type MoverDimension,
  spendJumps,
  topMovers,
} from './data.ts';
import type { PromQuery, PromRangeSeries } from './prometheus.ts';

const LLM = 'burnrate_llm_cost_usd_total';
const VDB = 'burnrate_vectordb_cost_usd_total';
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const ALERTS_QUERY = 'ALERTS{alertname=~"Burnrate.*",alertstate="firing"}';
const ALERT_STEP = 300;

/**
 * LLM + vector-DB spend over `range`, summed by `by`. Each source is tagged before the sum so a
 * model series and a vector series can never collide once `increase` drops the metric name.
 */
export function costIncrease(by: string[], range: string, llmOnly = false): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  if (llmOnly) return `sum${grouping} (increase(${LLM}[${range}]))`;
  const tag = (m: string, src: string) =>
    `label_replace(increase(${m}[${range}]), "burnrate_source", "${src}", "", "")`;
  return `sum${grouping} (${tag(LLM, 'llm')} or ${tag(VDB, 'vectordb')})`;
}

export interface CollectOptions {
  now: number;
  timeZone: string;
  top: number;
  atRisk: { utilization: number; forecast: number };
  jump: { ratio: number; minUsd: number };
  dashboardUrl: string | null;
}

/** Hourly points of a range query (each value covers the hour before its timestamp). */
function hourly(series: PromRangeSeries | undefined): SpendPoint[] {
  return (series?.values ?? [])
    .filter(([, v]) => Number.isFinite(v))
    .map(([t, v]) => ({ t: t * 1000 - HOUR, usd: v }));
}

function localDays(end: number, count: number, timeZone: string): number[] {
  const w = wallTimeAt(end + 3 * HOUR, timeZone);
  return Array.from({ length: count + 1 }, (_, i) =>
    startOfLocalDay(w.year, w.month, w.day - count + i, timeZone),
  );
}

export async function collectDigest(prom: PromQuery, opts: CollectOptions): Promise<DigestData> {
  const { now, timeZone } = opts;
  const problems: string[] = [];
  const guard = async <T>(section: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      problems.push(`${section}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const data: DigestData = {
    generatedAt: now,
    timeZone,
    week: { start: now - 7 * DAY, end: now },
    totals: { thisWeekUsd: 0, lastWeekUsd: 0 },
    movers: { team: [], model: [], agent: [] },
    alerts: [],
    jumps: [],
    budgets: { atRisk: [], evaluated: 0 },
    forecast: null,
    dashboardUrl: opts.dashboardUrl,
    problems,
  };

  for (const dim of ['team', 'model', 'agent'] as MoverDimension[]) {
    await guard(
      `top movers by ${dim}`,
      async () => {
        const q = costIncrease([dim], '7d', dim === 'model');
        const [cur, prev] = await Promise.all([prom.query(q, now), prom.query(q, now - 7 * DAY)]);
        data.movers[dim] = topMovers(cur, prev, dim, opts.top);
        if (dim === 'team') {
          data.totals.thisWeekUsd = cur.reduce(
            (a, s) => a + (Number.isFinite(s.value) ? s.value : 0),
            0,
          );
          data.totals.lastWeekUsd = prev.reduce(
            (a, s) => a + (Number.isFinite(s.value) ? s.value : 0),
            0,
          );
        }
      },
      undefined,
    );
  }

  data.alerts = await guard(
    'alerts',
    async () =>
      firedAlerts(
        await prom.queryRange(ALERTS_QUERY, now - 7 * DAY, now, ALERT_STEP),
        now,
        ALERT_STEP,
      ),
    [],
  );

  data.jumps = await guard('spend jumps', async () => {
    const days = localDays(startOfDayAt(now, timeZone), 14, timeZone);
    const series = await prom.queryRange(
      costIncrease(['team'], '1h'),
      days[0] + HOUR,
      days[14],
      3600,
    );
    const byTeam = new Map<string, number[]>();
    for (const s of series) {
      const daily = new Array<number>(14).fill(0);
      for (const p of hourly(s)) {
        const d = days.findIndex((start, i) => i < 14 && p.t >= start && p.t < days[i + 1]);
        if (d >= 0) daily[d] += p.usd;
      }
      byTeam.set(s.metric.team || '(none)', daily);
    }
    return spendJumps(byTeam, days, opts.jump);
  }, []);

  data.budgets = await guard(
    'budgets at risk',
    async () => {
      const q = (m: string) => prom.query(`max by (budget) (${m})`, now);
      const [limit, spend, forecast, util] = await Promise.all([
        q('burnrate_budget_limit_usd'),
        q('burnrate_budget_spend_usd'),
        q('burnrate_budget_forecast_usd'),
        q('burnrate_budget_utilization_ratio'),
      ]);
      return budgetsAtRisk({ limit, spend, forecast, util }, opts.atRisk);
    },
    { atRisk: [], evaluated: 0 },
  );

  data.forecast = await guard(
    'forecast',
    async () => {
      const end = Math.floor(now / HOUR) * HOUR;
      const quarter = calendarPeriod(end, 'quarter', timeZone);
      const start = Math.floor(Math.min(quarter.start, end - 126 * DAY) / HOUR) * HOUR;
      const series = await prom.queryRange(costIncrease([], '1h'), start + HOUR, end, 3600);
      return rollingForecast(hourly(series[0]), { now: end, timeZone });
    },
    null,
  );
  return data;
}
