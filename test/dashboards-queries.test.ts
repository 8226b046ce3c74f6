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
import { fixtureAgents, fixtureRunCosts } from './dashboards-agent-fixtures.ts';
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
  // Model calls Burnrate priced (run spans, `invoke_agent`, are not calls: no cost source).
  const perRound = demoRound().filter(
    (s) => 'gen_ai.operation.name' in s.attributes && 'burnrate.cost.source' in s.attributes,
  ).length;
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
 * A panel query as Grafana sends it, with the time picker on "Last 5 minutes" (the demo traffic
 * is seconds old) or the panel's own override: variables and globals filled in, and when.
 */
function expand(
  q: PanelQuery,
  vars: Vars,
): { expr: string; at: number; range: number; interval: number } {
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
  return { expr, at, range, interval };
}

/** An instant panel query's finite series, with their labels. */
async function instantSeries(
  q: PanelQuery,
  vars: Vars,
): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const { expr, at } = expand(q, vars);
  return (await promq().query(expr, at)).filter((s) => Number.isFinite(s.value));
}

/** Runs one panel query as Grafana would; returns the finite values it got. */
async function runPanelQuery(q: PanelQuery, vars: Vars): Promise<number[]> {
  if (q.instant) return (await instantSeries(q, vars)).map((s) => s.value);
  const { expr, at, range, interval } = expand(q, vars);
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
  agent: '$__all',
};
const narrowed: Vars = {
  environment: ['production'],
  team: ['search'],
  service: ['search-api'],
  endpoint: ['GET /v1/search'],
  model: ['claude-sonnet-4-5', 'text-embedding-3-small', 'acme-large-2'],
  budget: '$__all',
  // researcher makes the claude and tool calls; coder leads runs and trips the breaker.
  agent: ['researcher', 'coder'],
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
      agent: fixtureAgents,
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

describe('agent figures a user reads', () => {
  const agents = dashboards.find((d) => d.uid === 'burnrate-agents')!;
  const q = (panel: string, refId = 'A'): PanelQuery =>
    panelQueries(agents).find((x) => x.panel === panel && x.refId === refId)!;
  const byAgent = async (panel: string, refId: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await instantSeries(q(panel, refId), all)).map((s) => [s.labels.agent, s.value]),
    );
  // The fixture's runs, per environment and round: planner (5 calls) and coder (33 calls).
  const runCost = fixtureRunCosts();
  const near = (got: number, want: number): void =>
    expect(Math.abs(got / want - 1), `${got} ≈ ${want}`).toBeLessThan(1e-3);
  const table = 'Agents in range: spend, runs and cost per run';

  it('average cost and calls per run are the runs sent; p50/p95 fall in the run’s bucket', async () => {
    const [average] = await runPanelQuery(q('Average cost per run'), all);
    near(average, (runCost.planner + runCost.coder) / 2);
    const calls = await byAgent(table, 'F');
    expect(Object.keys(calls).sort()).toEqual(['coder', 'planner']);
    near(calls.coder, 33);
    near(calls.planner, 5);
    const p50 = await byAgent(table, 'D');
    const p95 = await byAgent(table, 'E');
    // planner ≈ $0.027 (bucket $0.025–0.05), coder ≈ $0.060 (bucket $0.05–0.1): interpolated.
    for (const [agent, [lo, hi]] of [
      ['planner', [0.025, 0.05]],
      ['coder', [0.05, 0.1]],
    ] as const) {
      expect(runCost[agent]).toBeGreaterThan(lo);
      expect(runCost[agent]).toBeLessThan(hi);
      expect(p50[agent]).toBeGreaterThan(lo);
      expect(p95[agent]).toBeGreaterThanOrEqual(p50[agent]);
      expect(p95[agent]).toBeLessThanOrEqual(hi);
    }
  });

  it('context grows step by step, and the breaker trips are counted', async () => {
    const steps = [];
    for (const refId of ['A', 'B', 'C', 'D', 'E', 'F'])
      steps.push(
        (await runPanelQuery(q('Input tokens per call by step of the run', refId), all))[0],
      );
    // Step 1: planner 600 and coder 300 tokens; 32+: coder's steps 32 and 33 (8,050 and 8,300).
    near(steps[0], 450);
    near(steps[5], 8175);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
    // One marked call per environment and round, the first round hidden by increase().
    const [trips] = await runPanelQuery(q('Breaker trips in range'), all);
    expect(trips).toBeGreaterThanOrEqual(2 * (ROUNDS - 1));
    expect(trips).toBeLessThanOrEqual(2 * ROUNDS);
    const kinds = await instantSeries(q('Breaker trips in range by agent and kind'), all);
    expect(kinds.map((s) => `${s.labels.agent} ${s.labels.kind} ${s.labels.mode}`)).toEqual([
      'coder steps record',
    ]);
  });
});
