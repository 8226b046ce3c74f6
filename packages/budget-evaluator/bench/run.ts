// Benchmark: 10,000 budgets evaluated against a real Prometheus (the test harness's, Debian
// 2.42 here) scraping ~7,000 cost series. Prints a markdown table of queries per cycle, cycle
// time and memory. Not a test: run it by hand.
//
//   node --conditions=@burnrate/source packages/budget-evaluator/bench/run.ts [budgets] [cycles]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlertmanager, startPrometheus } from '../../../test/harness/index.ts';
import { evaluateBudgets, SpendState } from '../src/query/evaluate.ts';
import { planGroups } from '../src/query/plan.ts';
import { BudgetEvaluator } from '../src/server/evaluator.ts';
import { startFakeExporter } from '../src/test-support/fake-servers.ts';

const BUDGETS = Number(process.argv[2] ?? 10_000);
const CYCLES = Number(process.argv[3] ?? 5);
const TENANTS = 5000;
const TEAMS = 50;
const ENVS = ['production', 'staging', 'development'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.0-flash'];
const LLM = 'burnrate_llm_cost_usd_total';
const VDB = 'burnrate_vectordb_cost_usd_total';

function seriesLabels(i: number) {
  return {
    service: `svc-${i % 20}`,
    environment: ENVS[i % 3],
    team: `team-${i % TEAMS}`,
    endpoint: `/api/e${i % 10}`,
    tenant: `t${i % TENANTS}`,
    operation: 'chat',
  };
}

/** A mix of budgets as a large company would write them (equality and regex, 5 periods). */
function budgetsYaml(n: number): string {
  const out = [
    'defaults:',
    '  forecast: { lookback: 1m, step: 10s }',
    '  thresholds:',
    '    - { at: 50%, kind: actual, severity: info }',
    '    - { at: 70%, kind: forecast, severity: warning }',
    '    - { at: 100%, kind: actual, severity: critical }',
    'budgets:',
  ];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    let b: string;
    if (k < 5) b = `selector: { tenant: t${i % TENANTS} }, period: monthly`;
    else if (k < 7)
      b = `selector: { tenant: t${i % TENANTS} }, period: daily, timezone: Europe/Berlin`;
    else if (k < 9) {
      b = `selector: { team: team-${i % TEAMS}, environment: ${ENVS[i % 3]} }, period: weekly, timezone: America/New_York`;
    } else if (i % 20 === 9) {
      b = `selector: { model: { regex: '${MODELS[i % 4].slice(0, 3)}.*' }, team: team-${i % TEAMS} }, period: rolling-7d, sources: [llm]`;
    } else
      b = `selector: { environment: { not_equals: production }, team: team-${i % TEAMS} }, period: quarterly`;
    out.push(`  - { name: budget-${i}, ${b}, limit_usd: ${50 + (i % 500)} }`);
  }
  return `${out.join('\n')}\n`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const exporter = await startFakeExporter();
  const am = await startAlertmanager(); // real Alertmanager, null receiver
  const values = new Map<number, number>();
  const bump = (round: number) => {
    for (let i = 0; i < TENANTS + 2000; i++) {
      const v = (values.get(i) ?? 0) + ((i * 7919 + round * 104729) % 1000) / 1000;
      values.set(i, v);
      const l = seriesLabels(i);
      if (i < TENANTS) exporter.set(LLM, { ...l, provider: 'openai', model: MODELS[i % 4] }, v);
      else exporter.set(VDB, { ...l, db_system: 'qdrant', operation: 'query' }, v);
    }
  };
  bump(0);
  const prom = await startPrometheus({
    scrapeTargets: [exporter.target],
    scrapeIntervalSeconds: 5,
  });
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-bench-'));
  const file = join(dir, 'budgets.yaml');
  writeFileSync(file, budgetsYaml(BUDGETS));
  try {
    await prom.waitFor(`count(${LLM})`, (s) => s[0]?.value === TENANTS, { timeoutMs: 120_000 });
    const heapBefore = process.memoryUsage().heapUsed;
    const loadStart = performance.now();
    const ev = new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      queryTimeoutMs: 120_000,
    });
    const loadMs = performance.now() - loadStart;
    const plan = planGroups(ev.budgetConfig.budgets);
    const groups = plan.length;
    const queryTimes: number[] = [];
    const times: number[] = [];
    const queries: number[] = [];
    const state = new SpendState(); // kept across cycles, as in the evaluator
    for (let c = 0; c < CYCLES; c++) {
      bump(c + 1);
      await new Promise((r) => setTimeout(r, 5500)); // one scrape
      const q = performance.now();
      await evaluateBudgets(ev.budgetConfig.budgets, ev.prom, Date.now(), plan, state);
      queryTimes.push(performance.now() - q);
      const t = performance.now();
      await ev.runCycle();
      times.push(performance.now() - t);
      queries.push(ev.lastCycleQueries);
      if (ev.status().dataMissing)
        throw new Error(`data missing: ${ev.status().dataMissingReason}`);
    }
    const st = ev.status();
    const firing = st.budgets.reduce((a, b) => a + b.thresholds.filter((t) => t.firing).length, 0);
    global.gc?.();
    const mem = process.memoryUsage();
    const sorted = [...times].sort((a, b) => a - b);
    const rows: Array<[string, string]> = [
      ['budgets', String(BUDGETS)],
      ['cost series in Prometheus', String(TENANTS + 2000)],
      ['query groups', String(groups)],
      ['queries per cycle', String(queries[queries.length - 1])],
      ['queries per cycle, one query pair per budget (naive)', String(1 + 2 * BUDGETS)],
      ['config load + validation', `${loadMs.toFixed(0)} ms`],
      [
        `cycle time (median of ${CYCLES})`,
        `${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`,
      ],
      ['cycle time (max)', `${sorted[sorted.length - 1].toFixed(0)} ms`],
      ['of which queries + matching (median)', `${median(queryTimes).toFixed(0)} ms`],
      ['threshold alerts firing (re-sent every cycle)', String(firing)],
      ['alerts active in Alertmanager', String((await am.alerts()).length)],
      ['heap used (after, gc)', mb(mem.heapUsed)],
      ['heap growth from the evaluator', mb(mem.heapUsed - heapBefore)],
      ['RSS', mb(mem.rss)],
    ];
    console.log(`\n| budget evaluator, ${new Date().toISOString()} | value |\n| --- | --- |`);
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    await ev.stop();
  } finally {
    await prom.stop();
    await exporter.stop();
    await am.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
