// Every query of every bundled dashboard, run the way Grafana runs it (variables filled in,
// $__range/$__rate_interval from the dashboard's time range) against the real pipeline: demo
// spans → the Burnrate Collector → Prometheus, plus budget gauges. Each must return data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Interpolation, interpolate } from '../dashboards/src/interpolate.ts';
import {
  type DashboardJson,
  type PanelQuery,
  panelQueries,
  variableQueries,
} from '../dashboards/src/queries.ts';
import { demoRound, demoRoundCost, startBudgetExporter } from './dashboards-fixtures.ts';
import { type CollectorHandle, startCollector } from './harness/collector.ts';
import { type PrometheusHandle, startPrometheus } from './harness/prometheus.ts';
import { sendSpans } from './harness/spans.ts';
import { repoRoot } from './harness/tools.ts';

const ROUNDS = 4;
const SCRAPE_SECONDS = 1;
const dir = join(repoRoot, 'dashboards');
const dashboards = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'package.json')
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DashboardJson);

let collector: CollectorHandle | undefined;
let prom: PrometheusHandle | undefined;
let exporter: Awaited<ReturnType<typeof startBudgetExporter>> | undefined;
const promq = (): PrometheusHandle => {
  if (!prom) throw new Error('Prometheus did not start');
  return prom;
};

beforeAll(async () => {
  exporter = await startBudgetExporter();
  collector = await startCollector();
  prom = await startPrometheus({
    scrapeTargets: [
      collector.metricsTarget,
      { job: 'budget-evaluator', targets: [exporter.target] },
    ],
    scrapeIntervalSeconds: SCRAPE_SECONDS,
  });
  const perRound = demoRound().filter((s) => 'gen_ai.operation.name' in s.attributes).length;
  for (let round = 1; round <= ROUNDS; round++) {
    await sendSpans(collector.otlpHttpUrl, demoRound());
    // Wait until Prometheus has scraped this round, then one more scrape, so every series has
    // a sample per round and counters grow between samples (increase() needs two).
    await promq().waitFor(
      'sum(burnrate_llm_requests_total)',
      (s) => s[0]?.value === perRound * round,
    );
    await new Promise((r) => setTimeout(r, 1500 * SCRAPE_SECONDS));
  }
  await promq().waitFor('count(burnrate_budget_spend_usd)', (s) => s[0]?.value === 3);
});

afterAll(async () => {
  await prom?.stop();
  await collector?.stop();
  await exporter?.close();
});

/** Grafana's time range in seconds for a `now-7d` style `from`, or a panel's `now/M` override. */
function rangeSeconds(from: string, now: Date): number {
  if (from === 'now/M') {
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    // The first minutes of a month hold too little history for a query over "this month so far".
    return Math.max(Math.floor((now.getTime() - monthStart) / 1000), 600);
  }
  const m = /^now-(\d+)([mhd])$/.exec(from);
  if (!m) throw new Error(`unsupported time range ${from}`);
  return Number(m[1]) * { m: 60, h: 3600, d: 86400 }[m[2] as 'm' | 'h' | 'd'];
}

type Vars = Interpolation['vars'];

/**
 * Runs one panel query as Grafana would, with the time picker on "Last 5 minutes" (the demo
 * traffic is seconds old) or the panel's own override; returns the finite values it got.
 */
async function runPanelQuery(q: PanelQuery, vars: Vars): Promise<number[]> {
  const now = new Date();
  const range = rangeSeconds(q.timeFrom ?? 'now-5m', now);
  // Grafana: $__interval ≈ range / max data points (~1,000 for a full-width panel), at least the scrape interval.
  const interval = Math.max(Math.ceil(range / 1000), SCRAPE_SECONDS);
  const expr = interpolate(q.expr, {
    vars,
    rangeSeconds: range,
    intervalSeconds: interval,
    scrapeIntervalSeconds: SCRAPE_SECONDS,
  });
  // A query over only the 7 days before (offset 7d) is evaluated 7 days ahead, so "the week
  // before" is the demo traffic: the query's syntax, names and maths are what is under test.
  const onlyLastWeek =
    (expr.match(/offset 7d/g) ?? []).length === (expr.match(/\[7d\]/g) ?? []).length &&
    expr.includes('offset 7d');
  const at = onlyLastWeek ? now.getTime() + 7 * 86400_000 + 60_000 : now.getTime();
  if (q.instant) return (await promq().query(expr, at)).map((s) => s.value).filter(Number.isFinite);
  const params = new URLSearchParams({
    query: expr,
    start: String(at / 1000 - range),
    end: String(at / 1000),
    step: String(interval),
  });
  const data = await promq().api<{ result: { values: [number, string][] }[] }>(
    `/api/v1/query_range?${params}`,
  );
  return data.result.flatMap((r) => r.values.map(([, v]) => Number(v))).filter(Number.isFinite);
}

const all: Vars = {
  environment: '$__all',
  team: '$__all',
  service: '$__all',
  endpoint: '$__all',
  model: '$__all',
  budget: '$__all',
};
const narrowed: Vars = {
  environment: ['production'],
  team: ['search'],
  service: ['search-api'],
  endpoint: ['GET /v1/search'],
  model: ['claude-sonnet-4-5', 'text-embedding-3-small', 'acme-large-2'],
  budget: '$__all',
};

describe.each(dashboards.map((d) => [d.title, d] as const))('%s', (_title, d) => {
  it.each(panelQueries(d).map((q) => [`${q.panel} ${q.refId}`, q] as const))(
    '%s returns data with every variable on All and with one team, service and endpoint',
    async (_name, q) => {
      expect((await runPanelQuery(q, all)).length, q.expr).toBeGreaterThan(0);
      expect((await runPanelQuery(q, narrowed)).length, q.expr).toBeGreaterThan(0);
    },
  );

  it('variables list the values in the data, each narrowing the next', async () => {
    const expected: Record<string, string[]> = {
      environment: ['production', 'staging'],
      team: ['payments', 'search'],
      service: ['checkout-api', 'search-api'],
      endpoint: ['GET /v1/search', 'POST /v1/checkout'],
      model: ['acme-large-2', 'claude-sonnet-4-5', 'gpt-4.1-mini', 'text-embedding-3-small'],
      budget: ['company-monthly', 'prod-openai-daily', 'search-team-monthly'],
    };
    for (const v of variableQueries(d)) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.query);
      if (!m) throw new Error(`${v.name}: ${v.query}`);
      const values = async (vars: Vars): Promise<string[]> => {
        const selector = interpolate(m[1], {
          vars,
          rangeSeconds: 3600,
          intervalSeconds: 5,
          scrapeIntervalSeconds: 1,
        });
        return (
          await promq().api<string[]>(
            `/api/v1/label/${m[2]}/values?${new URLSearchParams({ 'match[]': selector })}`,
          )
        ).sort();
      };
      expect(await values(all), v.name).toEqual(expected[v.name]);
      if (v.name === 'model')
        expect(await values({ ...all, team: ['payments'] })).toEqual(['gpt-4.1-mini']);
    }
  });
});

describe('figures a user reads', () => {
  const overview = dashboards.find((d) => d.uid === 'burnrate-spend-overview')!;
  const stat = (title: string): PanelQuery =>
    panelQueries(overview).find((q) => q.panel === title)!;

  it('spend in range is the demo traffic, less what each series hides before its first scrape', async () => {
    const [total] = await runPanelQuery(stat('Spend in range'), all);
    const sent = ROUNDS * demoRoundCost();
    // increase() starts at each series' first sample, so the first round is not counted, and
    // extrapolates a little at the window's edge; the figure lies between those bounds.
    console.info(
      `Spend in range: $${total.toFixed(6)} for $${sent.toFixed(6)} sent in ${ROUNDS} rounds`,
    );
    expect(total).toBeGreaterThan(((ROUNDS - 1) / ROUNDS) * sent * 0.95);
    expect(total).toBeLessThan(sent * 1.05);
    const [narrow] = await runPanelQuery(stat('Spend in range'), {
      ...all,
      environment: ['staging'],
    });
    expect(narrow).toBeGreaterThan(0);
    expect(narrow).toBeLessThan(total);
  });

  it('forecasts at least the month to date', async () => {
    const [monthToDate] = await runPanelQuery(stat('Month to date'), all);
    const [forecast] = await runPanelQuery(stat('LLM forecast to month end'), all);
    expect(monthToDate).toBeGreaterThan(0);
    // The forecast is LLM-only; month to date also holds the (small) vector-database spend.
    expect(forecast).toBeGreaterThanOrEqual(monthToDate * 0.9);
  });

  it('shows the firing budget alert and the time a budget has left at its speed', async () => {
    const budgets = dashboards.find((d) => d.uid === 'burnrate-budgets')!;
    const q = (panel: string, refId = 'A'): PanelQuery =>
      panelQueries(budgets).find((x) => x.panel === panel && x.refId === refId)!;
    expect(await runPanelQuery(q('Budget alerts firing'), all)).toEqual([1]);
    expect(await runPanelQuery(q('Budgets over limit'), all)).toEqual([0]);
    // search-team-monthly: limit $200, spend growing $0.25 per scrape (one a second).
    const search = { ...all, budget: ['search-team-monthly'] };
    const [spend] = await runPanelQuery(q('Budgets', 'B'), search);
    const [speedPerHour] = await runPanelQuery(q('Budgets', 'F'), search);
    const [left] = await runPanelQuery(q('Budgets', 'G'), search);
    expect(speedPerHour).toBeGreaterThan(0.25 * 3600 * 0.8);
    expect(speedPerHour).toBeLessThan(0.25 * 3600 * 1.2);
    expect(left).toBeCloseTo((200 - spend) / (speedPerHour / 3600), -1);
  });

  it('counts unpriced calls, never as dollars', async () => {
    const [unpriced] = await runPanelQuery(stat('Unpriced calls'), all);
    // 2 unpriced chat calls per round (acme-large-2 in two environments), first round hidden.
    expect(unpriced).toBeGreaterThanOrEqual(2 * (ROUNDS - 1));
    expect(unpriced).toBeLessThanOrEqual(2 * ROUNDS);
  });
});
