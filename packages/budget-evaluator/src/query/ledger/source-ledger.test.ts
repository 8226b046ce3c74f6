// The per-series ledger against the period-spend formula, over simulated histories: counter
// resets (before and between cycles), series born mid-period, series that go quiet or come back
// after more than an hour, a DST day in Europe/Berlin, a rolling window, late samples, evaluator
// restarts mid-period and Prometheus outages (short: read on; long: rebuilt).
import { describe, expect, it } from 'vitest';
import {
  type FakeSeries,
  referenceSpend,
  SamplePrometheus,
} from '../../test-support/sample-prometheus.ts';
import { type PeriodSpec, parsePeriod, periodWindow } from '../../time/period.ts';
import { seriesKey } from './series-store.ts';
import { type LedgerWindow, SourceLedger } from './source-ledger.ts';

const METRIC = 'burnrate_llm_cost_usd_total';
const BERLIN_MIDNIGHT = Date.parse('2026-03-28T23:00:00Z'); // DST starts 01:00 UTC that day
const FROM = BERLIN_MIDNIGHT - 3 * 3_600_000;
const TO = BERLIN_MIDNIGHT + 2.5 * 3_600_000;
const SPECS: PeriodSpec[] = [
  { kind: 'calendar', unit: 'daily', timeZone: 'Europe/Berlin' },
  { kind: 'calendar', unit: 'monthly', timeZone: 'UTC' },
  parsePeriod('rolling-2h', 'UTC') as PeriodSpec,
];

/** A small deterministic PRNG. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Counters scraped every 15 s that grow, reset, start late, stop, pause and come back. */
function histories(seed: number): FakeSeries[] {
  const r = rng(seed);
  const out: FakeSeries[] = [];
  const kinds = ['steady', 'resets', 'born', 'quiet', 'gap-1h', 'gap-20m', 'midnight-reset'];
  kinds.forEach((kind, n) => {
    for (let copy = 0; copy < 2; copy++) {
      const samples: Array<[number, number]> = [];
      let v = Math.round(r() * 1000) / 100;
      const offset = Math.floor(r() * 15) * 1000;
      const born = kind === 'born' ? BERLIN_MIDNIGHT + (r() - 0.3) * 3_600_000 : FROM - 4e6;
      const stop = kind === 'quiet' ? BERLIN_MIDNIGHT + (r() - 0.5) * 7_200_000 : TO + 1;
      const gapAt = BERLIN_MIDNIGHT + (r() - 0.5) * 5_400_000;
      const gapMs = kind === 'gap-1h' ? 3_900_000 : kind === 'gap-20m' ? 1_200_000 : 0;
      for (let t = FROM - 4e6 + offset; t <= TO; t += 15_000) {
        if (t < born || t > stop || (t > gapAt && t < gapAt + gapMs)) continue;
        const reset =
          (kind === 'resets' && r() < 0.01) ||
          (gapMs > 0 &&
            samples.length > 0 &&
            (samples.at(-1) as [number, number])[0] < gapAt &&
            t > gapAt) ||
          (kind === 'midnight-reset' && t >= BERLIN_MIDNIGHT && t < BERLIN_MIDNIGHT + 15_000);
        v = reset ? Math.round(r() * 50) / 100 : v + Math.round(r() * 30) / 100;
        samples.push([t, v]);
      }
      out.push({ metric: { __name__: METRIC, team: `t${n}-${copy}`, kind }, samples });
    }
  });
  return out;
}

const windowsAt = (at: number): LedgerWindow[] =>
  SPECS.map((spec) => {
    const w = periodWindow(spec, at);
    return { key: w.id, start: w.start, rolling: spec.kind === 'rolling' };
  });

async function simulate(
  seed: number,
  events: { restarts: number[]; outages: Array<[number, number]> },
) {
  const prom = new SamplePrometheus();
  prom.data = histories(seed);
  prom.delayMs = 5000; // samples become visible 5 s after their timestamp
  let ledger = new SourceLedger('llm');
  let checked = 0;
  for (let at = BERLIN_MIDNIGHT - 1.5 * 3_600_000, k = 0; at <= TO; at += 30_000, k++) {
    if (events.restarts.includes(k)) ledger = new SourceLedger('llm');
    if (events.outages.some(([a, b]) => k >= a && k < b)) continue;
    prom.now = at;
    const windows = windowsAt(at);
    const result = await ledger.update(prom, at, windows);
    const visible = prom.data.map((s) => s.samples.filter(([t]) => t + prom.delayMs <= at));
    for (const w of windows) {
      const got = result?.get(w.key);
      for (const [n, s] of prom.data.entries()) {
        const want = referenceSpend(visible[n], w.start, at);
        const i = ledger.store.index.get(seriesKey(s.metric));
        const spend =
          i === undefined || got === undefined || i >= got.spend.length ? 0 : got.spend[i];
        if (Math.abs(spend - want) > 1e-9) {
          throw new Error(`seed ${seed} cycle ${k} ${w.key} ${s.metric.team}: ${spend} != ${want}`);
        }
        checked++;
      }
    }
  }
  return { checked, queries: prom.queries, log: prom.log };
}

describe('the per-series spend ledger', () => {
  it('gives the period-spend formula exactly, every cycle, across resets, gaps and DST', async () => {
    for (const seed of [1, 2, 3]) {
      const { checked } = await simulate(seed, { restarts: [], outages: [] });
      expect(checked).toBeGreaterThan(10_000);
    }
  }, 120_000);

  it('stays exact after evaluator restarts mid-period and Prometheus outages', async () => {
    for (const seed of [4, 5]) {
      const { checked } = await simulate(seed, {
        restarts: [100, 200, 420],
        outages: [
          [250, 260], // 5 minutes: the next cycle reads on from where it was
          [300, 340], // 20 minutes: the state is rebuilt
        ],
      });
      expect(checked).toBeGreaterThan(10_000);
    }
  }, 120_000);

  it('reads only recent samples once running: no query spans the period', async () => {
    const { log } = await simulate(6, { restarts: [], outages: [] });
    const ranges = log
      .slice(-30)
      .flatMap((q) => [...q.matchAll(/\[(\d+)ms\]/g)].map((m) => Number(m[1])));
    expect(Math.max(...ranges)).toBeLessThanOrEqual(3_600_000); // start values: one hour
  }, 120_000);
});
