// The evaluator against a real Prometheus (Debian 2.42 via the test harness) scraping a target
// whose counters the test sets, and a fake Alertmanager-shaped receiver.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusHandle, startPrometheus } from '../../../../test/harness/index.ts';
import {
  type FakeAlertmanager,
  type FakeExporter,
  startFakeAlertmanager,
  startFakeExporter,
} from '../test-support/fake-servers.ts';
import { BudgetEvaluator } from './evaluator.ts';

const LLM = 'burnrate_llm_cost_usd_total';
const VDB = 'burnrate_vectordb_cost_usd_total';
const base = {
  service: 'search-api',
  environment: 'production',
  endpoint: '/search',
  operation: 'chat',
};
const searchGpt = { ...base, team: 'search', provider: 'openai', model: 'gpt-4o' };
const searchMini = { ...base, team: 'search', provider: 'openai', model: 'gpt-4o-mini' };
const otherClaude = { ...base, team: 'support', provider: 'anthropic', model: 'claude-sonnet-4-5' };
const searchQdrant = { ...base, team: 'search', db_system: 'qdrant', operation: 'query' };

const CONFIG = `budgets:
  - name: search-24h
    selector: { team: search }
    period: rolling-24h
    limit_usd: 10
    forecast: { lookback: 30s, step: 5s }
    thresholds:
      - { at: 50%, kind: actual, severity: info }
      - { at: 100%, kind: actual, severity: critical }
  - name: search-monthly
    selector: { team: search }
    period: monthly
    limit_usd: 10
    forecast: { lookback: 30s, step: 5s }
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
  - name: gpt-models-llm-only
    selector: { model: { regex: 'gpt-4o.*' } }
    sources: [llm]
    period: rolling-24h
    limit_usd: 100
    forecast: { lookback: 30s, step: 5s }
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
  - name: everything
    period: rolling-24h
    limit_usd: 1000
    forecast: { lookback: 30s, step: 5s }
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
`;

let exporter: FakeExporter;
let prom: PrometheusHandle;
let am: FakeAlertmanager;
let dir: string;
let ev: BudgetEvaluator;

async function scraped(promql: string, value: number): Promise<void> {
  await prom.waitFor(promql, (s) => Math.abs((s[0]?.value ?? Number.NaN) - value) < 1e-9, {
    timeoutMs: 20_000,
  });
  await new Promise((r) => setTimeout(r, 1200)); // one more scrape: every series is in
}

const spent = (name: string) => ev.status().budgets.find((b) => b.name === name)!.spentUsd;
const firingNow = () =>
  am.posts.filter((p) => Date.parse(p.alert.endsAt) > p.at).map((p) => p.alert.labels);

beforeAll(async () => {
  exporter = await startFakeExporter();
  am = await startFakeAlertmanager();
  prom = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
  dir = mkdtempSync(join(tmpdir(), 'burnrate-eval-'));
  writeFileSync(join(dir, 'budgets.yaml'), CONFIG);
  ev = new BudgetEvaluator({
    configFile: join(dir, 'budgets.yaml'),
    prometheusUrl: prom.url,
    alertmanagerUrls: [am.url],
    intervalSeconds: 1,
  });
});

afterAll(async () => {
  await ev?.stop();
  await prom?.stop();
  await exporter?.stop();
  await am?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('evaluation against a real Prometheus', () => {
  it('counts a series born inside the period from its first sample, to the cent', async () => {
    exporter.set(LLM, searchGpt, 3.3);
    exporter.set(LLM, searchMini, 0.45);
    exporter.set(LLM, otherClaude, 2);
    exporter.set(VDB, searchQdrant, 0.75);
    await scraped(`sum(${LLM}) + sum(${VDB})`, 6.5);
    await ev.runCycle();
    expect(spent('search-24h')).toBe(4.5); // 3.30 + 0.45 model + 0.75 vector DB
    expect(spent('search-monthly')).toBe(4.5);
    expect(spent('gpt-models-llm-only')).toBe(3.75); // no vector DB, no claude
    expect(spent('everything')).toBe(6.5);
    // The first cycle builds the per-series state: 1 presence, per cost metric 3 reads (raw
    // samples of the last 2 minutes, last values in the longest window, a reset marker) and a
    // start-value read per window (rolling 24 h, monthly), and 1 forecast range query.
    expect(ev.lastCycleQueries).toBe(1 + 2 * (3 + 2) + 2);
    expect(firingNow()).toEqual([]);
  });

  it('fires the 50 % threshold once spend crosses it and reports exact growth', async () => {
    exporter.set(LLM, searchGpt, 4.3); // +1.00
    await scraped(`sum(${LLM}{team="search"})`, 4.75);
    await ev.runCycle();
    expect(spent('search-24h')).toBe(5.5);
    // Later cycles read only what is new: per cost metric the raw samples since the last cycle
    // and the rolling window's start values (the monthly ones are kept), and the range query.
    expect(ev.lastCycleQueries).toBe(1 + 2 * (1 + 1) + 2);
    const firing = firingNow();
    expect(firing).toEqual([
      {
        alertname: 'BurnrateBudgetThreshold',
        budget: 'search-24h',
        severity: 'info',
        threshold: '0.5',
        kind: 'actual',
        team: 'search',
      },
    ]);
    const status = ev.status().budgets.find((b) => b.name === 'search-24h')!;
    expect(status.state).toBe('warning');
    expect(status.utilization).toBe(0.55);
    expect(status.thresholds.map((t) => t.firing)).toEqual([true, false]);
    const metrics = await ev.metrics.registry.metrics();
    expect(metrics).toContain('burnrate_budget_spend_usd{budget="search-24h",team="search"} 5.5');
    expect(metrics).toContain('burnrate_budget_limit_usd{budget="search-24h",team="search"} 10');
    expect(metrics).toContain(
      'burnrate_budget_alert_firing{budget="search-24h",threshold="0.5",kind="actual",severity="info"} 1',
    );
    expect(metrics).toContain(
      'burnrate_budget_alert_firing{budget="search-24h",threshold="1",kind="actual",severity="critical"} 0',
    );
  });

  it('a forecast sees the recent rate', async () => {
    const monthly = ev.status().budgets.find((b) => b.name === 'search-monthly')!;
    // $1 arrived within the 30 s lookback: the forecast adds that rate over the rest of the month.
    expect(monthly.forecastUsd).toBeGreaterThan(Number(monthly.spentUsd) + 10);
    expect(monthly.forecastHighUsd).toBeGreaterThanOrEqual(Number(monthly.forecastUsd));
    expect(monthly.forecastLowUsd).toBeLessThanOrEqual(Number(monthly.forecastUsd));
  });

  it('after a counter reset (Collector restart) spend keeps what was counted before it', async () => {
    exporter.set(LLM, otherClaude, 2.5); // +0.50
    await scraped(`sum(${LLM}{team="support"})`, 2.5);
    exporter.set(LLM, otherClaude, 0.1); // restarted counter: 0.10 spent since the restart
    await scraped(`sum(${LLM}{team="support"})`, 0.1);
    await ev.runCycle();
    // 2.50 counted before the restart + 0.10 since: exact, no increase() extrapolation.
    expect(spent('everything')).toBe(5.5 + 2.6);
    expect(spent('search-24h')).toBe(5.5); // budgets without the reset series stay exact
  });

  it('an LLM and a vector-DB series with the same label set both count', async () => {
    exporter.set(VDB, searchGpt, 0.4); // same labels as the gpt-4o LLM series
    await scraped(`sum(${VDB}{model="gpt-4o"})`, 0.4);
    await ev.runCycle();
    expect(spent('search-24h')).toBe(5.9);
    expect(spent('gpt-models-llm-only')).toBe(4.75); // LLM cost only
  });

  it('when the cost series vanish: data-missing fires and nothing resolves', async () => {
    const before = am.posts.length;
    for (const l of [searchGpt, searchMini, otherClaude]) exporter.set(LLM, l, undefined);
    exporter.set(VDB, searchQdrant, undefined);
    exporter.set(VDB, searchGpt, undefined);
    await prom.waitFor(`count(${LLM})`, (s) => s.length === 0, { timeoutMs: 20_000 });
    await ev.runCycle();
    const posted = am.posts.slice(before);
    expect(posted.filter((p) => Date.parse(p.alert.endsAt) <= p.at)).toEqual([]);
    expect(posted.map((p) => p.alert.labels.alertname).sort()).toEqual([
      'BurnrateBudgetDataMissing',
      'BurnrateBudgetThreshold',
    ]);
    const st = ev.status();
    expect(st.dataMissing).toBe(true);
    expect(st.dataMissingReason).toBe('no burnrate cost series in Prometheus');
    expect(st.budgets.find((b) => b.name === 'search-24h')!.stale).toBe(true);
  });

  it('when Prometheus is down: data-missing, no resolve, errors counted', async () => {
    await prom.stop();
    const before = am.posts.length;
    await ev.runCycle();
    await ev.runCycle();
    const posted = am.posts.slice(before);
    expect(posted.filter((p) => Date.parse(p.alert.endsAt) <= p.at)).toEqual([]);
    const dm = posted.filter((p) => p.alert.labels.alertname === 'BurnrateBudgetDataMissing');
    expect(dm.length).toBe(2);
    expect(dm[1].alert.annotations.summary).toMatch(/Prometheus at .* unreachable: ECONNREFUSED/);
    const metrics = await ev.metrics.registry.metrics();
    expect(metrics).toContain(
      'burnrate_budget_evaluation_errors_total{reason="prometheus_unreachable"} 2',
    );
    expect(metrics).toContain('burnrate_budget_data_missing 1');
  });
});
