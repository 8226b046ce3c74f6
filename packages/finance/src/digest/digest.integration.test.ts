// The digest's content against a real Prometheus holding 17 days of known spend, alerts and
// budget gauges (backfilled with promtool), delivered to a local webhook receiver.

import { PrometheusClient } from '@burnrate/budget-evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollingForecast, type SpendPoint } from '../forecast/forecast.ts';
import {
  type BackfilledPrometheus,
  type Series,
  startBackfilledPrometheus,
} from '../test-support/digest/backfilled-prometheus.ts';
import { type HttpReceiver, startHttpReceiver } from '../test-support/digest/http-receiver.ts';
import { collectDigest } from './collect.ts';
import type { DigestConfig } from './config.ts';
import type { DigestData } from './data.ts';
import { runDigest } from './run.ts';
import { parseSchedule, type Schedule } from './schedule.ts';
import { Secret } from './secret.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEP = 5 * 60_000;
// Yesterday 09:00 UTC: the digest's "now", safely in the past and on a 5-minute grid.
const END = (Math.floor(Date.now() / DAY) - 1) * DAY + 9 * HOUR;
// 17 days: two weeks to compare plus two for the forecast's minimum (promtool writes one block
// per 2 hours, each with an fsync: more history makes the test slower).
const START = END - 17 * DAY;
const WEEK_AGO = END - 7 * DAY;

const base = { service: 'api', environment: 'production', endpoint: '/chat', tenant: 'acme' };
const llm = (team: string, model: string, agent: string) => ({
  ...base,
  team,
  model,
  agent,
  provider: 'openai',
  operation: 'chat',
});

/** A cost counter whose $/day is `perDay(t)`, sampled every 5 minutes. */
function counter(
  name: string,
  labels: Record<string, string>,
  perDay: (t: number) => number,
): Series {
  const samples: Array<[number, number]> = [];
  let value = 0;
  for (let t = START; t <= END; t += STEP) {
    samples.push([t, Math.round(value * 1e9) / 1e9]);
    value += (perDay(t) * STEP) / DAY;
  }
  return { name, labels, samples };
}

function gauge(
  name: string,
  labels: Record<string, string>,
  value: number,
  from: number,
  to: number,
): Series {
  const samples: Array<[number, number]> = [];
  for (let t = from; t <= to; t += STEP) samples.push([t, value]);
  return { name, labels, samples };
}

const SERIES: Series[] = [
  counter('burnrate_llm_cost_usd_total', llm('search', 'gpt-4o', 'planner'), (t) =>
    t < WEEK_AGO ? 10 : 30,
  ),
  counter('burnrate_llm_cost_usd_total', llm('support', 'claude-sonnet', 'unassigned'), () => 20),
  counter('burnrate_llm_cost_usd_total', llm('ads', 'gpt-4o-mini', 'unassigned'), (t) =>
    t < WEEK_AGO ? 5 : 0,
  ),
  counter(
    'burnrate_vectordb_cost_usd_total',
    { ...base, team: 'search', agent: 'planner', db_system: 'qdrant', operation: 'query' },
    () => 1,
  ),
  gauge(
    'ALERTS',
    {
      alertname: 'BurnrateSpendRateAnomaly',
      alertstate: 'firing',
      severity: 'warning',
      team: 'search',
    },
    1,
    WEEK_AGO + HOUR,
    WEEK_AGO + 3 * HOUR,
  ),
  gauge(
    'ALERTS',
    {
      alertname: 'BurnrateBudgetThreshold',
      alertstate: 'firing',
      budget: 'search-monthly',
      kind: 'forecast',
      severity: 'warning',
      threshold: '0.8',
    },
    1,
    END - 3 * DAY,
    END,
  ),
  gauge(
    'ALERTS',
    {
      alertname: 'BurnrateSpendRateAnomaly',
      alertstate: 'pending',
      severity: 'warning',
      team: 'ads',
    },
    1,
    END - DAY,
    END,
  ),
  gauge('ALERTS', { alertname: 'HighCpu', alertstate: 'firing' }, 1, END - DAY, END),
  gauge(
    'ALERTS',
    { alertname: 'BurnrateCollectorDown', alertstate: 'firing', severity: 'critical' },
    1,
    END - 9 * DAY,
    END - 8 * DAY,
  ),
];
const budgets: Array<[string, number, number, number]> = [
  // budget, limit, spend, forecast
  ['search-monthly', 500, 420, 700],
  ['support-monthly', 1000, 300, 610],
  ['ads-weekly', 50, 10, 55],
];
for (const [budget, limit, spend, forecast] of budgets) {
  for (const instance of ['evaluator-a:9464', 'evaluator-b:9464']) {
    const l = { budget, job: 'budget-evaluator', instance };
    SERIES.push(
      gauge('burnrate_budget_limit_usd', l, limit, END - DAY, END),
      gauge('burnrate_budget_spend_usd', l, spend, END - DAY, END),
      gauge('burnrate_budget_forecast_usd', l, forecast, END - DAY, END),
      gauge('burnrate_budget_utilization_ratio', l, spend / limit, END - DAY, END),
    );
  }
}

let prom: BackfilledPrometheus;
let hook: HttpReceiver;
let data: DigestData;

beforeAll(async () => {
  prom = await startBackfilledPrometheus(SERIES);
  hook = await startHttpReceiver();
  data = await collectDigest(new PrometheusClient({ url: prom.url }), {
    now: END,
    timeZone: 'UTC',
    top: 5,
    atRisk: { utilization: 0.8, forecast: 1 },
    jump: { ratio: 1.5, minUsd: 1 },
    dashboardUrl: null,
  });
}, 180_000);

afterAll(async () => {
  await prom?.stop();
  await hook?.stop();
});

const round = (x: number) => Math.round(x * 1e6) / 1e6;

describe('digest from a real Prometheus', () => {
  it('computed every section', () => {
    expect(data.problems).toEqual([]);
  });

  it('totals and top movers this week vs last week, by team, model and agent', () => {
    expect(round(data.totals.thisWeekUsd)).toBe(357);
    expect(round(data.totals.lastWeekUsd)).toBe(252);
    const rows = (dim: 'team' | 'model' | 'agent') =>
      data.movers[dim].map((m) => [
        m.key,
        round(m.thisWeekUsd),
        round(m.lastWeekUsd),
        round(m.deltaUsd),
      ]);
    expect(rows('team')).toEqual([
      ['search', 217, 77, 140],
      ['ads', 0, 35, -35],
    ]);
    expect(rows('model')).toEqual([
      ['gpt-4o', 210, 70, 140],
      ['gpt-4o-mini', 0, 35, -35],
    ]);
    expect(rows('agent')).toEqual([
      ['planner', 217, 77, 140],
      ['unassigned', 140, 175, -35],
    ]);
  });

  it('lists the Burnrate alerts that fired this week, and nothing else', () => {
    expect(data.alerts.map((a) => [a.alertname, a.labels, a.stillFiring])).toEqual([
      [
        'BurnrateBudgetThreshold',
        { budget: 'search-monthly', kind: 'forecast', severity: 'warning', threshold: '0.8' },
        true,
      ],
      ['BurnrateSpendRateAnomaly', { severity: 'warning', team: 'search' }, false],
    ]);
    const anomaly = data.alerts[1];
    expect(anomaly.firstSeen).toBe(WEEK_AGO + HOUR);
    expect(anomaly.firingMinutes).toBeGreaterThanOrEqual(120);
    expect(anomaly.firingMinutes).toBeLessThanOrEqual(135);
  });

  it('finds the spend jump day by day against the same weekday a week before', () => {
    const dayOfStep = WEEK_AGO - 9 * HOUR;
    expect(data.jumps.map((j) => [j.team, j.day, round(j.usd), round(j.baselineUsd)])).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((d) => ['search', dayOfStep + d * DAY, 31, 11]),
      ['search', dayOfStep, 23.5, 11], // 9 h at $10/day, 15 h at $30/day, + $1 vector
    ]);
  });

  it('lists budgets at risk from the evaluator gauges, once per budget', () => {
    expect(data.budgets.evaluated).toBe(3);
    expect(
      data.budgets.atRisk.map((b) => [b.budget, b.reasons, round(b.forecastRatio ?? 0)]),
    ).toEqual([
      ['search-monthly', ['utilization', 'forecast'], 1.4],
      ['ads-weekly', ['forecast'], 1.1],
    ]);
  });

  it('forecasts the three horizons with a band from the hourly history', () => {
    const f = data.forecast;
    if (!f?.ok) throw new Error(`no forecast: ${JSON.stringify(f)}`);
    expect(f.model.historyDays).toBe(16);
    const [week, month] = f.horizons;
    expect(week.remaining.low).toBeLessThanOrEqual(week.remaining.expected);
    expect(week.remaining.high).toBeGreaterThanOrEqual(week.remaining.expected);
    // Exactly what the forecast makes of the hourly history the counters were built from.
    const hourly: SpendPoint[] = [];
    for (let t = START; t < END; t += HOUR) hourly.push({ t, usd: (t < WEEK_AGO ? 36 : 51) / 24 });
    const direct = rollingForecast(hourly, { now: END, timeZone: 'UTC' });
    if (!direct.ok) throw new Error(direct.message);
    for (const [i, h] of f.horizons.entries()) {
      expect(h.remaining.expected).toBeCloseTo(direct.horizons[i].remaining.expected, 4);
      expect(h.remaining.low).toBeCloseTo(direct.horizons[i].remaining.low, 4);
      expect(h.remaining.high).toBeCloseTo(direct.horizons[i].remaining.high, 4);
    }
    // A step a week ago in 16 days of history: the band holds the new rate's $357 a week.
    expect(week.remaining.low).toBeLessThan(357);
    expect(week.remaining.high).toBeGreaterThan(357);
    const monthStart = Date.UTC(new Date(END).getUTCFullYear(), new Date(END).getUTCMonth(), 1);
    expect(month.periodStart).toBe(monthStart);
    const days = (a: number, b: number) => Math.max(0, b - a) / DAY;
    const spent =
      51 * days(Math.max(monthStart, WEEK_AGO), END) +
      36 * days(monthStart, Math.min(WEEK_AGO, END));
    expect(month.spentUsd).toBeCloseTo(spent, 6);
  });

  it('delivers the same content to a webhook', async () => {
    const config: DigestConfig = {
      file: 'digest.yaml',
      schedule: parseSchedule('Mon 09:00') as Schedule,
      timeZone: 'UTC',
      prometheusUrl: prom.url,
      dashboardUrl: null,
      top: 5,
      atRisk: { utilization: 0.8, forecast: 1 },
      jump: { ratio: 1.5, minUsd: 1 },
      channels: [
        {
          type: 'webhook',
          name: 'hook',
          url: new Secret(`${hook.url}/d`, 'test'),
          headers: {},
          timeoutMs: 10_000,
        },
      ],
    };
    const outcome = await runDigest(
      config,
      { prometheus: new PrometheusClient({ url: prom.url }) },
      { now: END },
    );
    expect(outcome.ok).toBe(true);
    const body = JSON.parse(hook.received[0].body);
    expect(body.totals).toEqual(data.totals);
    expect(body.movers).toEqual(data.movers);
    expect(body.text).toContain('- search: $217.00 (last week $77.00, +$140.00, +182 %)');
  });
});
