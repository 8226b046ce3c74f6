// Every query of every bundled dashboard, run the way Grafana runs it (variables filled in,
// $__range/$__rate_interval from the dashboard's time range) against the real pipeline: demo
// spans → the Burnrate Collector → Prometheus with the shipped rules, plus budget gauges
// (test/dashboards-stack.ts). Each must return data; the figures a user reads must be right.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolate } from '../dashboards/src/interpolate.ts';
import {
  type DashboardJson,
  type PanelQuery,
  panelQueries,
  variableQueries,
} from '../dashboards/src/queries.ts';
import { fixtureAgents, fixtureRunCosts } from './dashboards-agent-fixtures.ts';
import { demoRoundCost } from './dashboards-fixtures.ts';
import {
  allVars as all,
  type DashboardStack,
  expand,
  narrowedVars as narrowed,
  onlyLastWeek,
  ROUNDS,
  runExpanded,
  startDashboardStack,
  type Vars,
} from './dashboards-stack.ts';
import type { PrometheusHandle } from './harness/prometheus.ts';
import { repoRoot } from './harness/tools.ts';

const dir = join(repoRoot, 'dashboards');
const dashboards = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'package.json')
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DashboardJson);

let stack: DashboardStack | undefined;
const promq = (): PrometheusHandle => {
  if (!stack) throw new Error('the stack did not start');
  return stack.prom;
};

beforeAll(async () => {
  stack = await startDashboardStack();
});

afterAll(async () => {
  await stack?.stop();
});

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
  const series = await runExpanded(promq(), expand(q, vars), q.instant);
  return series.flatMap((s) => s.values.map(([, v]) => v)).filter(Number.isFinite);
}

/**
 * Queries that need history the seconds-old demo traffic cannot have. Last month's figure exists
 * only after the rules have run across a month turn (deploy/prometheus/tests proves it); a
 * column of the week before cut to this week's top 10 rows needs two weeks. For these the
 * check is that Prometheus accepts the query, and that the part over the week before (before
 * `and on (…)`) returns data when evaluated a week ahead.
 */
function needsHistory(q: PanelQuery): PanelQuery | 'accepted' | undefined {
  if (q.expr.includes(':last_month')) return 'accepted';
  const head = q.expr.split(' and on (')[0];
  if (head !== q.expr && onlyLastWeek(head)) return { ...q, expr: head };
  return undefined;
}

describe.each(dashboards.map((d) => [d.title, d] as const))('%s', (_title, d) => {
  it.each(panelQueries(d).map((q) => [`${q.panel} ${q.refId}`, q] as const))(
    '%s returns data with every variable on All and with one team, service and endpoint',
    async (_name, q) => {
      const history = needsHistory(q);
      for (const vars of [all, narrowed]) {
        if (history) {
          await runPanelQuery(q, vars); // accepted by Prometheus (throws on an error)
          if (history !== 'accepted')
            expect((await runPanelQuery(history, vars)).length, history.expr).toBeGreaterThan(0);
        } else {
          expect((await runPanelQuery(q, vars)).length, q.expr).toBeGreaterThan(0);
        }
      }
    },
  );

  it('variables list the values in the data, each narrowing the next', async () => {
    const expected: Record<string, string[]> = {
      environment: ['production', 'staging'],
      team: ['payments', 'search'],
      service: ['checkout-api', 'search-api'],
      endpoint: ['GET /v1/search', 'POST /v1/checkout'],
      model: ['acme-large-2', 'claude-sonnet-4-5', 'gpt-4.1-mini', 'text-embedding-3-small'],
      tenant: ['acme', 'globex', 'unassigned'],
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
      // A budget without a team selector covers every team: it stays; search's own goes.
      if (v.name === 'budget')
        expect(await values({ ...all, team: ['payments'] })).toEqual([
          'company-monthly',
          'prod-openai-daily',
        ]);
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

  it('month to date is every dollar sent (recording rules); the forecast band holds it', async () => {
    const sent = ROUNDS * demoRoundCost();
    for (const title of ['Month to date', 'Today']) {
      const [figure] = await runPanelQuery(stat(title), all);
      expect(Math.abs(figure - sent), title).toBeLessThan(1e-9);
    }
    const forecast = panelQueries(overview).filter((q) => q.panel === 'Forecast to month end');
    const [low, expected, high] = await Promise.all(
      forecast.map(async (q) => (await runPanelQuery(q, all))[0]),
    );
    expect(low).toBeGreaterThanOrEqual(sent - 1e-9);
    expect(expected).toBeGreaterThanOrEqual(low);
    expect(high).toBeGreaterThanOrEqual(expected);
    const [acme] = await runPanelQuery(stat('Month to date'), { ...all, tenant: ['acme'] });
    expect(acme).toBeGreaterThan(0);
    expect(acme).toBeLessThan(sent);
  });

  it('shows the firing budget alert and the time a budget has left at its speed', async () => {
    const budgets = dashboards.find((d) => d.uid === 'burnrate-budgets')!;
    const q = (panel: string, refId = 'A'): PanelQuery =>
      panelQueries(budgets).find((x) => x.panel === panel && x.refId === refId)!;
    expect(await runPanelQuery(q('Budget alerts firing'), all)).toEqual([1]);
    expect(await runPanelQuery(q('Budgets over limit'), all)).toEqual([0]);
    const table = 'Budgets: period, limit, spend and forecast';
    // search-team-monthly: limit $200, spend growing $0.25 per scrape (one a second).
    const search = { ...all, budget: ['search-team-monthly'] };
    const [spend] = await runPanelQuery(q(table, 'C'), search);
    const [speedPerHour] = await runPanelQuery(q(table, 'G'), search);
    const [left] = await runPanelQuery(q(table, 'H'), search);
    expect(speedPerHour).toBeGreaterThan(0.25 * 3600 * 0.8);
    expect(speedPerHour).toBeLessThan(0.25 * 3600 * 1.2);
    expect(left).toBeCloseTo((200 - spend) / (speedPerHour / 3600), -1);
    // prod-openai-daily would take weeks to reach its limit at this speed: it resets first.
    const daily = { ...all, budget: ['prod-openai-daily'] };
    expect(await runPanelQuery(q(table, 'H'), daily)).toEqual([]);
    const [resets] = await runPanelQuery(q(table, 'I'), daily);
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(resets).toBe(midnight.getTime());
    // Limits per period, never daily + monthly.
    const limits = await instantSeries(q('Limits and spend by period'), all);
    expect(Object.fromEntries(limits.map((s) => [s.labels.period, s.value]))).toEqual({
      daily: 500_000,
      monthly: 1200,
    });
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
