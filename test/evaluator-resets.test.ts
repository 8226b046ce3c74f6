// End to end: period spend stays exact across counter resets (a Collector restart mid-period),
// for a series that goes quiet after the reset and for one that existed at the period start
// but is gone now. The real Prometheus (Debian 2.42) scrapes a small exporter whose counter
// values the test sets; the evaluator's daily budget starts at a minute boundary the test picks.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetEvaluator } from '../packages/budget-evaluator/src/index.ts';
import { offsetZoneWithMidnightAt } from '../packages/budget-evaluator/src/test-support/e2e-fixtures.ts';
import {
  type FakeAlertmanager,
  type FakeExporter,
  startFakeAlertmanager,
  startFakeExporter,
} from '../packages/budget-evaluator/src/test-support/fake-servers.ts';
import { type PrometheusHandle, startPrometheus } from './harness/index.ts';

const LLM = 'burnrate_llm_cost_usd_total';
const VDB = 'burnrate_vectordb_cost_usd_total';
const base = { service: 'api', environment: 'production', team: 'search' };
const gpt = { ...base, provider: 'openai', model: 'gpt-4o', endpoint: '/a' };
const mini = { ...base, provider: 'openai', model: 'gpt-4o-mini', endpoint: '/a' }; // goes quiet
const claude = { ...base, provider: 'anthropic', model: 'claude', endpoint: '/b' }; // disappears
const late = { ...base, provider: 'openai', model: 'o3', endpoint: '/c' }; // born after the reset
const qdrant = { ...base, db_system: 'qdrant', endpoint: '/a' };
const other = { ...base, team: 'support', provider: 'openai', model: 'gpt-4o', endpoint: '/a' };

let exporter: FakeExporter;
let prom: PrometheusHandle;
let am: FakeAlertmanager;
let dir: string;
let ev: BudgetEvaluator;
let periodStart = 0;
let shift = 0; // the evaluator's clock: real time + shift

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const spent = (name: string) => ev.status().budgets.find((b) => b.name === name)!;

/** Sets counters and waits until Prometheus has scraped them (and one more scrape). */
async function serve(values: Array<[string, Record<string, string>, number | undefined]>) {
  for (const [m, l, v] of values) exporter.set(m, l, v);
  const total = values.reduce((a, [, , v]) => a + (v ?? 0), 0);
  const present = values.filter(([, , v]) => v !== undefined);
  const sel = present.map(
    ([m, l]) => `${m}{model="${l.model ?? ''}",db_system="${l.db_system ?? ''}",team="${l.team}"}`,
  );
  await prom.waitFor(
    `sum(${sel.map((s) => `sum(${s})`).join(' + ')})`,
    (s) => Math.abs((s[0]?.value ?? Number.NaN) - total) < 1e-9,
    { timeoutMs: 20_000 },
  );
  await sleep(2200); // two more scrapes: removed series are marked stale
}

beforeAll(async () => {
  exporter = await startFakeExporter();
  am = await startFakeAlertmanager();
  prom = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
  // Spend before the period: the day starts at the next whole minute (at least 8 s away).
  await serve([
    [LLM, gpt, 1],
    [LLM, mini, 0.5],
    [LLM, claude, 0.3],
    [VDB, qdrant, 0.2],
    [LLM, other, 7],
  ]);
  periodStart = Math.ceil((Date.now() + 8000) / 60_000) * 60_000;
  dir = mkdtempSync(join(tmpdir(), 'burnrate-e2e-resets-'));
  writeFileSync(
    join(dir, 'budgets.yaml'),
    `budgets:
  - name: search-daily
    selector: { team: search }
    period: daily
    timezone: "${offsetZoneWithMidnightAt(periodStart)}"
    limit_usd: 100
    thresholds:
      - { at: 70%, kind: forecast, severity: warning }
      - { at: 100%, kind: actual, severity: critical }
  - name: search-gpt-daily
    selector: { team: search, model: { regex: "gpt-4o.*" } }
    sources: [llm]
    period: daily
    timezone: "${offsetZoneWithMidnightAt(periodStart)}"
    limit_usd: 100
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
`,
  );
  ev = new BudgetEvaluator({
    configFile: join(dir, 'budgets.yaml'),
    prometheusUrl: prom.url,
    alertmanagerUrls: [am.url],
    intervalSeconds: 1,
    now: () => Date.now() + shift,
  });
  await sleep(periodStart + 1500 - Date.now());
}, 120_000);

afterAll(async () => {
  await ev?.stop();
  await prom?.stop();
  await exporter?.stop();
  await am?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('period spend across counter resets, end to end', () => {
  it('counts growth since the period start to the cent', async () => {
    await serve([
      [LLM, gpt, 1.4], // +0.40
      [LLM, mini, 0.7], // +0.20
      [LLM, claude, 0.35], // +0.05
      [VDB, qdrant, 0.45], // +0.25
      [LLM, other, 9],
    ]);
    await ev.runCycle();
    expect(spent('search-daily')).toMatchObject({ spentUsd: 0.9, state: 'ok' });
    expect(spent('search-gpt-daily').spentUsd).toBe(0.6);
    expect(spent('search-daily').period.start).toBe(new Date(periodStart).toISOString());
    // Seconds into the new day there is no step of it yet: yesterday's rate (the series' $2.00
    // arriving minutes ago) is not today's, and the 70 % forecast threshold stays quiet.
    expect(spent('search-daily').forecastUsd).toBe(0.9);
    expect(am.posts.filter((p) => p.alert.labels.kind === 'forecast')).toEqual([]);
  });

  it('a Collector restart mid-period keeps every cent, whatever the series do next', async () => {
    // Restart: every counter starts again from what was spent since the restart; claude's
    // series is gone for good, o3's is new.
    await serve([
      [LLM, gpt, 0.1],
      [LLM, mini, 0.05],
      [LLM, claude, undefined],
      [VDB, qdrant, 0.1],
      [LLM, late, 0.2],
      [LLM, other, 0.5],
    ]);
    await ev.runCycle();
    // 0.90 before the restart + 0.10 + 0.05 + 0.10 + 0.20 after it
    expect(spent('search-daily').spentUsd).toBe(1.35);
    expect(spent('search-gpt-daily').spentUsd).toBe(0.75);

    // gpt-4o-mini goes quiet (its series expires); gpt-4o grows and restarts a second time.
    await serve([
      [LLM, gpt, 0.3],
      [LLM, mini, undefined],
      [VDB, qdrant, 0.1],
      [LLM, late, 0.2],
      [LLM, other, 0.5],
    ]);
    await serve([
      [LLM, gpt, 0.15],
      [VDB, qdrant, 0.1],
      [LLM, late, 0.2],
      [LLM, other, 0.5],
    ]);
    // 1.35 + 0.20 (gpt-4o to 0.30) + 0.15 after the second restart
    const want = { 'search-daily': 1.7, 'search-gpt-daily': 1.1 };
    for (let cycle = 0; cycle < 5; cycle++) {
      await ev.runCycle();
      expect(spent('search-daily').spentUsd).toBe(want['search-daily']);
      expect(spent('search-gpt-daily').spentUsd).toBe(want['search-gpt-daily']);
      await sleep(1500); // no new spend: the numbers must not drift
    }
    expect(ev.status().dataMissing).toBe(false);
  });

  it('stays exact later in the period, when the resets lie in older, settled windows', async () => {
    // gpt-4o-mini comes back from 0 after its quiet spell, in a later minute than its last
    // sample: the drop spans two of the evaluator's windows and the gap between them.
    await sleep(Math.max(0, periodStart + 62_000 - Date.now()));
    await serve([
      [LLM, gpt, 0.15],
      [LLM, mini, 0.03],
      [VDB, qdrant, 0.1],
      [LLM, late, 0.2],
      [LLM, other, 0.5],
    ]);
    // The evaluator's clock up to 4 minutes ahead (Prometheus still has every series within its
    // 5-minute lookback): the restarts now lie in past windows of the period, read once.
    const queries: number[] = [];
    for (const ahead of [0, 1, 2.5, 4, 4]) {
      shift = ahead * 60_000;
      await ev.runCycle();
      expect(spent('search-daily').spentUsd).toBe(1.73);
      expect(spent('search-gpt-daily').spentUsd).toBe(1.13);
      queries.push(ev.lastCycleQueries);
    }
    expect(ev.status().dataMissing).toBe(false);
    // Once running, a cycle reads only what is new (resets are seen between cycles, in the raw
    // samples): 1 presence query, per cost metric the samples since the last cycle, and per
    // cost metric the forecast's range query. Nothing reads the period again (the first of these
    // cycles may still read the period's start values, kept once 60 s past the start).
    expect(queries.slice(1)).toEqual([5, 5, 5, 5]);
    expect(queries[0]).toBeLessThanOrEqual(5 + 2);
  });

  it('an evaluator restarted mid-period rebuilds the same numbers from Prometheus', async () => {
    const fresh = new BudgetEvaluator({
      configFile: join(dir, 'budgets.yaml'),
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      intervalSeconds: 1,
      now: () => Date.now() + shift,
    });
    for (const ahead of [4, 0, 0]) {
      shift = ahead * 60_000;
      await fresh.runCycle();
      const b = (name: string) => fresh.status().budgets.find((x) => x.name === name);
      expect(b('search-daily')?.spentUsd).toBe(1.73);
      expect(b('search-gpt-daily')?.spentUsd).toBe(1.13);
      await sleep(1500);
    }
    await fresh.stop();
  });
});
