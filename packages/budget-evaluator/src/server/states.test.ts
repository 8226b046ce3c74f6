// Budget states a user sees in the API, /metrics and Alertmanager, with Prometheus answered by a
// stub of its HTTP API: forecasts at a period start, poisoned counters, a fresh install.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAlertmanager, startFakeAlertmanager } from '../test-support/fake-servers.ts';
import {
  type StubKind,
  type StubPrometheus,
  startStubPrometheus,
} from '../test-support/stub-prometheus.ts';
import { BudgetEvaluator } from './evaluator.ts';

const CONFIG = `budgets:
  - name: search-daily
    selector: { team: search }
    period: daily
    limit_usd: 10
    forecast: { lookback: 1h, step: 5m }
    thresholds:
      - { at: 70%, kind: forecast, severity: warning }
      - { at: 100%, kind: actual, severity: critical }
  - name: support-daily
    selector: { team: support }
    period: daily
    limit_usd: 10
    forecast: { lookback: 1h, step: 5m }
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
`;
const MIDNIGHT = Date.parse('2026-11-24T00:00:00Z');

/** What the stub Prometheus holds: cost series now, per-team spend, per-team cumulative. */
interface World {
  present: boolean;
  /** Per team: what its counter gained since `midnight` (its value is 100 before, 100 + this after). */
  spend: Record<string, string>;
  midnight: number;
  /** Cumulative cost per team at each step of the range query (oldest first). */
  cumulative: Record<string, (t: number) => number>;
  /** Series the series API knows over its time range. */
  history: Array<Record<string, string>>;
}
let world: World;

/** Each team's LLM counter, scraped every 15 s: its samples in [from, to] (ms). */
function samples(team: string, from: number, to: number): Array<[number, string]> {
  const gained = world.spend[team];
  // Prometheus writes infinities as +Inf/-Inf; NaN and the infinities stay what they are.
  const after = /Inf|NaN/.test(gained) ? gained : String(100 + Number(gained));
  const out: Array<[number, string]> = [];
  for (let t = Math.ceil(from / 15_000) * 15_000; t <= to; t += 15_000) {
    out.push([t / 1000, t <= world.midnight ? '100' : after]);
  }
  return out;
}

/** Answers the evaluator's queries (see query/ledger/) from `world`. */
function answer(kind: StubKind, p: Record<string, string>): unknown[] {
  if (kind === 'series') return world.history;
  if (kind === 'query_range') {
    if (p.query.includes('vectordb')) return [];
    const [start, end, step] = [Number(p.start), Number(p.end), Number(p.step)];
    return Object.entries(world.cumulative).map(([team, f]) => {
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end + 1e-9; t += step) values.push([t, String(f(t * 1000))]);
      return { metric: { team }, values };
    });
  }
  if (p.query.startsWith('count by (__name__)')) {
    return world.present
      ? [{ metric: { __name__: 'burnrate_llm_cost_usd_total' }, value: [0, '3'] }]
      : [];
  }
  const range = /^(last_over_time\()?burnrate_llm_cost_usd_total\[(\d+)ms\]/.exec(p.query);
  if (!range) return []; // the vector-DB metric, reset markers: nothing
  const at = Math.round(Number(p.time) * 1000);
  const series = Object.keys(world.spend).map((team) => ({
    metric: { __name__: 'burnrate_llm_cost_usd_total', team },
    values: samples(team, at - Number(range[2]), at),
  }));
  if (!range[1]) return series; // raw samples
  return series
    .filter((x) => x.values.length > 0)
    .map((x) => ({ metric: { team: x.metric.team }, value: x.values.at(-1) }));
}

let dir: string;
let file: string;
let am: FakeAlertmanager;
let prom: StubPrometheus;
let now = MIDNIGHT + 60_000;
/** How long the stub takes to answer a range query (a slow Prometheus). */
let slowRangeMs = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-states-'));
  file = join(dir, 'budgets.yaml');
  writeFileSync(file, CONFIG);
  am = await startFakeAlertmanager();
  slowRangeMs = 0;
  prom = await startStubPrometheus(answer, (kind) => (kind === 'query_range' ? slowRangeMs : 0));
  world = { present: true, spend: {}, cumulative: {}, history: [], midnight: MIDNIGHT };
  now = MIDNIGHT + 60_000;
});

afterEach(async () => {
  await am.stop();
  await prom.stop();
  rmSync(dir, { recursive: true, force: true });
});

const make = (extra: Partial<ConstructorParameters<typeof BudgetEvaluator>[0]> = {}) =>
  new BudgetEvaluator({
    configFile: file,
    prometheusUrl: prom.url,
    alertmanagerUrls: [am.url],
    now: () => now,
    ...extra,
  });
const firing = () =>
  am.posts.filter((p) => Date.parse(p.alert.endsAt) > p.at).map((p) => p.alert.labels);

describe('forecast at a period start', () => {
  it('a new day with $0 spend does not forecast from the previous hour', async () => {
    // $1 every 5 minutes until 23:58, then nothing: at 00:01 the new day has spent $0.
    const yesterday = (t: number) => Math.min(t, MIDNIGHT - 120_000) / 300_000 - 5_895_936;
    world.spend = { search: '0' };
    world.cumulative = { search: yesterday };
    const ev = make();
    await ev.runCycle();
    const b = ev.status().budgets.find((x) => x.name === 'search-daily')!;
    expect(b).toMatchObject({ spentUsd: 0, forecastUsd: 0, state: 'ok' });
    expect(b.period.start).toBe('2026-11-24T00:00:00.000Z');
    expect(firing()).toEqual([]);
  });

  it('once the new day has steps of its own, the forecast uses only those', async () => {
    // 00:30: the day's six whole steps each added $0.05 (a rate of $0.60 an hour).
    now = MIDNIGHT + 30 * 60_000;
    world.spend = { search: '0.3' };
    world.cumulative = {
      search: (t) =>
        t <= MIDNIGHT
          ? 100 + (t - MIDNIGHT + 3_600_000) / 60_000
          : 160 + (t - MIDNIGHT) / 6_000_000,
    };
    const ev = make();
    await ev.runCycle();
    const b = ev.status().budgets.find((x) => x.name === 'search-daily')!;
    // 0.30 + 0.60 $/h x 23.5 h = 14.40
    expect(b.forecastUsd).toBeCloseTo(14.4, 6);
  });
});

describe('a poisoned counter (NaN or infinite spend)', () => {
  for (const bad of ['NaN', '+Inf', '-Inf']) {
    it(`spend ${bad} is invalid_data with its own critical alert, never ok`, async () => {
      world.spend = { search: bad, support: '2.5' };
      const ev = make();
      await ev.runCycle();
      const doc = ev.status();
      const search = doc.budgets.find((x) => x.name === 'search-daily')!;
      expect(search).toMatchObject({ state: 'invalid_data', spentUsd: null, forecastUsd: null });
      // The other budget is unaffected.
      expect(doc.budgets.find((x) => x.name === 'support-daily')).toMatchObject({
        state: 'ok',
        spentUsd: 2.5,
      });
      expect(firing()).toEqual([
        {
          alertname: 'BurnrateBudgetDataInvalid',
          budget: 'search-daily',
          severity: 'critical',
          team: 'search',
        },
      ]);
      const alert = am.posts.at(-1)!.alert;
      expect(alert.annotations.summary).toBe(
        `Budget search-daily cannot be evaluated: Prometheus returned a spend of ${bad} for its cost series`,
      );
      const metrics = await ev.metrics.registry.metrics();
      expect(metrics).toContain(
        'burnrate_budget_data_invalid{budget="search-daily",team="search"} 1',
      );
      expect(metrics).toContain(
        'burnrate_budget_data_invalid{budget="support-daily",team="support"} 0',
      );
      expect(metrics).not.toContain('burnrate_budget_spend_usd{budget="search-daily"');
      expect(metrics).toContain(
        'burnrate_budget_evaluation_errors_total{reason="cost_data_invalid"} 1',
      );

      // A number again (the next day: the poisoned sample stays in the old period, as in
      // Prometheus) resolves the invalid-data alert and evaluates again.
      world.spend = { search: '1', support: '2.5' };
      world.midnight = MIDNIGHT + 86_400_000;
      now += 86_400_000;
      await ev.runCycle();
      expect(ev.status().budgets[0]).toMatchObject({ state: 'ok', spentUsd: 1 });
      const last = am.posts
        .filter((p) => p.alert.labels.alertname === 'BurnrateBudgetDataInvalid')
        .at(-1)!;
      expect(Date.parse(last.alert.endsAt)).toBeLessThanOrEqual(last.at);
    });
  }

  it('keeps a threshold alert firing while the spend is invalid (no false resolve)', async () => {
    world.spend = { search: '12' };
    const ev = make();
    await ev.runCycle();
    expect(firing().map((l) => `${l.kind}:${l.threshold}`)).toEqual(['forecast:0.7', 'actual:1']);
    const before = am.posts.length;
    world.spend = { search: 'NaN' };
    now += 30_000;
    await ev.runCycle();
    const posted = am.posts.slice(before);
    expect(posted.filter((p) => Date.parse(p.alert.endsAt) <= p.at)).toEqual([]);
    expect(posted.map((p) => p.alert.labels.alertname).sort()).toEqual([
      'BurnrateBudgetDataInvalid',
      'BurnrateBudgetThreshold',
      'BurnrateBudgetThreshold',
    ]);
    expect(ev.status().budgets[0].thresholds.map((t) => t.firing)).toEqual([true, true]);
  });
});

describe('a fresh install before the first span', () => {
  it('is waiting for data: no alert, state waiting, API answers', async () => {
    world.present = false;
    const ev = make();
    await ev.runCycle();
    await ev.runCycle();
    expect(am.posts).toEqual([]);
    const doc = ev.status();
    expect(doc).toMatchObject({ waitingForData: true, dataMissing: false });
    expect(doc.budgets.map((b) => b.state)).toEqual(['waiting', 'waiting']);
    const metrics = await ev.metrics.registry.metrics();
    expect(metrics).toContain('burnrate_budget_waiting_for_data 1');
    expect(metrics).toContain('burnrate_budget_data_missing 0');
    expect(metrics).toContain(
      'burnrate_budget_evaluation_errors_total{reason="cost_series_missing"} 0',
    );

    // The first span arrives: evaluated as usual.
    world.present = true;
    world.spend = { search: '1.25' };
    now += 30_000;
    await ev.runCycle();
    expect(ev.status()).toMatchObject({ waitingForData: false, dataMissing: false });
    expect(ev.status().budgets[0]).toMatchObject({ state: 'ok', spentUsd: 1.25 });
    expect(await ev.metrics.registry.metrics()).toContain('burnrate_budget_waiting_for_data 0');
  });

  it('data seen and then gone still alerts data-missing', async () => {
    world.spend = { search: '1' };
    const ev = make();
    await ev.runCycle();
    world.present = false;
    world.spend = {};
    await ev.runCycle();
    expect(firing().map((l) => l.alertname)).toEqual(['BurnrateBudgetDataMissing']);
    expect(ev.status()).toMatchObject({ waitingForData: false, dataMissing: true });
  });

  it('restarted while the data is gone: alerts once the grace period is over', async () => {
    world.present = false;
    world.history = [{ __name__: 'burnrate_llm_cost_usd_total', team: 'search' }];
    const ev = make({ dataGraceSeconds: 600 });
    await ev.runCycle();
    expect(firing()).toEqual([]);
    expect(ev.status().waitingForData).toBe(true);
    now += 601_000;
    await ev.runCycle();
    expect(firing().map((l) => l.alertname)).toEqual(['BurnrateBudgetDataMissing']);
    expect(ev.status()).toMatchObject({ waitingForData: false, dataMissing: true });
    const series = prom.requests.filter((r) => r.kind === 'series');
    expect(series.length).toBe(1); // asked only after the grace period
  });

  it('a fresh install stays waiting after the grace period when Prometheus never had cost data', async () => {
    world.present = false;
    const ev = make({ dataGraceSeconds: 600 });
    now += 3_600_000;
    await ev.runCycle();
    expect(am.posts).toEqual([]);
    expect(ev.status().waitingForData).toBe(true);
  });
});

describe('a slow Prometheus', () => {
  it('a cycle that runs out of time keeps the last numbers and alerts, without data-missing', async () => {
    world.spend = { search: '12' };
    const logs: string[] = [];
    const ev = make({ cycleDeadlineMs: 400, log: (_l, msg) => logs.push(msg) });
    await ev.runCycle();
    expect(firing().map((l) => `${l.kind}:${l.threshold}`)).toEqual(['forecast:0.7', 'actual:1']);
    // The forecast's range query now takes longer than the whole cycle may.
    slowRangeMs = 1500;
    world.spend = { search: '13' };
    now += 30_000;
    const before = am.posts.length;
    await ev.runCycle();
    const posted = am.posts.slice(before);
    // Every active alert re-sent as it was; nothing resolved; no data-missing alert.
    expect(posted.map((p) => p.alert.labels.alertname)).toEqual([
      'BurnrateBudgetThreshold',
      'BurnrateBudgetThreshold',
    ]);
    expect(posted.filter((p) => Date.parse(p.alert.endsAt) <= p.at)).toEqual([]);
    const doc = ev.status();
    expect(doc).toMatchObject({ dataMissing: false, dataMissingReason: null });
    expect(doc.budgets[0]).toMatchObject({ spentUsd: 12, state: 'exceeded', stale: false });
    expect(logs).toContain('evaluation cycle ran out of time; keeping the last results');
    expect(await ev.metrics.registry.metrics()).toContain(
      'burnrate_budget_evaluation_errors_total{reason="deadline"} 1',
    );
    // Fast again: the cycle reads on from where the state was and sees the new spend.
    slowRangeMs = 0;
    now += 30_000;
    await ev.runCycle();
    expect(ev.status().budgets[0]).toMatchObject({ spentUsd: 13, stale: false });
  });
});
