import type { Source } from '../../types.ts';
import { COST_METRICS } from '../../types.ts';
import type { PrometheusClient, RangeSeries } from '../prometheus.ts';
import { ResetCache, resetCorrections } from '../resets.ts';
import { SeriesStore } from './series-store.ts';
import {
  START_LOOKBACK_MS,
  type WindowInputs,
  windowMembers,
  windowSpend,
} from './window-spend.ts';

/**
 * How long after its timestamp a sample may still become visible in Prometheus (a slow scrape,
 * ingestion lag). Samples younger than this are read again the next cycle, and the ledger's
 * horizon R lies this far before its first cycle.
 */
export const SETTLE_MS = 60_000;
/** A longer gap since the last read (e.g. Prometheus down) rebuilds the state from scratch. */
export const MAX_TAIL_MS = 15 * 60_000;

/** One window (period) to evaluate: `key` identifies it across cycles (start moves if rolling). */
export interface LedgerWindow {
  key: string;
  start: number;
  rolling: boolean;
}

export interface WindowResult {
  /** Per series index: its spend in the window. */
  spend: Float64Array;
  /** Per series index: 1 when it has a sample in the window. */
  members: Uint8Array;
}

/**
 * The spend of one cost metric in every window, from per-series state kept across cycles. The
 * first cycle (and any cycle after the state was lost) reads, as of the horizon R = now - 60 s,
 * each series' last value in the longest window, whether any counter reset in it, and the raw
 * samples of the last two minutes; every later cycle reads only the raw samples since the last
 * one. Per window: the start values (`m @ start`, once per calendar period), the resets before
 * R (only if there were any), and, only for series that went quiet before R, whether they have
 * a sample in the window.
 */
export class SourceLedger {
  readonly source: Source;
  store = new SeriesStore();
  /** The horizon R (ms), null before the first cycle. */
  horizon: number | null = null;
  private earliest = 0;
  private bootResets = false;
  private readUpTo = 0;
  private readonly cache = new Map<string, { inputs: WindowInputs; settled: boolean }>();
  private readonly resets = new ResetCache();

  constructor(source: Source) {
    this.source = source;
  }

  private get metric(): string {
    return COST_METRICS[this.source];
  }

  /**
   * Brings the state up to `at` (whole ms) and computes each window's per-series spend. With
   * `rebuild` false, a state that must be rebuilt is dropped and null returned instead.
   */
  async update(
    prom: PrometheusClient,
    at: number,
    windows: readonly LedgerWindow[],
    rebuild = true,
  ): Promise<Map<string, WindowResult> | null> {
    const earliest = Math.min(...windows.map((w) => w.start));
    if (this.horizon === null || earliest < this.earliest || !(await this.readTail(prom, at))) {
      if (!rebuild) {
        this.reset();
        return null;
      }
      await this.bootstrap(prom, at, earliest);
    }
    const out = new Map<string, WindowResult>();
    const used = new Set<string>();
    for (const w of windows) {
      const inputs = await this.inputs(prom, w, at, used);
      const R = this.horizon as number;
      let spend = windowSpend(this.store, inputs, R);
      if (spend === null) {
        inputs.members = await this.presence(prom, w.start);
        spend = windowSpend(this.store, inputs, R) as Float64Array;
      }
      out.set(w.key, { spend, members: windowMembers(this.store, inputs, R) });
    }
    for (const k of this.cache.keys()) if (!used.has(k)) this.cache.delete(k);
    this.resets.sweep();
    this.store.pruneEvents(earliest);
    return out;
  }

  /** Forgets everything: the next cycle starts from scratch. */
  reset(): void {
    this.horizon = null;
    this.store = new SeriesStore();
    this.cache.clear();
  }

  private async bootstrap(prom: PrometheusClient, at: number, earliest: number): Promise<void> {
    this.reset();
    const st = this.store;
    const R = at - SETTLE_MS;
    // Raw samples since R - SETTLE: the last one at or before R with its time (so a series
    // seen then is known to be in every window starting before it), those after R as the tail.
    await prom.eachSeries(`${this.metric}[${at - R + SETTLE_MS - 1}ms]`, at, (s) =>
      this.applyRaw(st, s, R, true),
    );
    this.bootResets = false;
    if (R > earliest) {
      const [last, marker] = await Promise.all([
        prom.query(`last_over_time(${this.metric}[${R - earliest}ms])`, R),
        prom.query(`count(resets(${this.metric}[${R - earliest + START_LOOKBACK_MS}ms]) > 0)`, R),
      ]);
      for (const r of last) {
        const i = st.id(r.metric);
        if (st.bootKnown[i] === 0) st.setBoot(i, Number.NaN, r.value);
      }
      this.bootResets = marker.length > 0;
    }
    this.horizon = R;
    this.earliest = earliest;
    this.readUpTo = at;
  }

  /** Reads the raw samples since the last read; false when the state must be rebuilt. */
  private async readTail(prom: PrometheusClient, at: number): Promise<boolean> {
    const R = this.horizon as number;
    if (at < this.readUpTo) return false; // the clock went back
    const from = Math.max(R, Math.min(this.readUpTo, this.store.maxSeenT) - SETTLE_MS);
    if (at - from > MAX_TAIL_MS) return false;
    if (at > from) {
      const st = this.store;
      await prom.eachSeries(`${this.metric}[${at - from - 1}ms]`, at, (s) =>
        this.applyRaw(st, s, R, false),
      );
    }
    this.readUpTo = at;
    return true;
  }

  private applyRaw(st: SeriesStore, s: RangeSeries, R: number, boot: boolean): void {
    const i = st.id(s.metric);
    for (const [ts, v] of s.values) {
      const t = Math.round(ts * 1000);
      if (t > R) st.addTail(i, t, v);
      else if (boot) st.setBoot(i, t, v);
    }
  }

  private async inputs(
    prom: PrometheusClient,
    w: LedgerWindow,
    at: number,
    used: Set<string>,
  ): Promise<WindowInputs> {
    const key = `${w.key}|${w.start}`;
    used.add(key);
    const cached = this.cache.get(key);
    if (cached?.settled) return cached.inputs;
    const R = this.horizon as number;
    const st = this.store;
    const [starts, corrections] = await Promise.all([
      prom.query(`last_over_time(${this.metric}[${START_LOOKBACK_MS}ms])`, w.start),
      this.bootResets && w.start < R
        ? resetCorrections(prom, this.source, R, (R - w.start) / 1000, this.resets)
        : Promise.resolve([]),
    ]);
    const ids = starts.map((r) => st.id(r.metric));
    const startV = new Float64Array(st.size);
    const hasStart = new Uint8Array(st.size);
    starts.forEach((r, k) => {
      startV[ids[k]] = r.value;
      hasStart[ids[k]] = 1;
    });
    const bootCorr = new Map<number, number>();
    for (const c of corrections) bootCorr.set(st.id(c.metric), c.value);
    const inputs: WindowInputs = { start: w.start, startV, hasStart, bootCorr, members: null };
    // A calendar period's start values never change once no late sample can reach them.
    if (!w.rolling) this.cache.set(key, { inputs, settled: w.start + SETTLE_MS <= at });
    return inputs;
  }

  /** Series with a sample in [start, R]: for series quiet since before R (read rarely). */
  private async presence(prom: PrometheusClient, start: number): Promise<Set<number>> {
    const R = this.horizon as number;
    const rows = await prom.query(`last_over_time(${this.metric}[${Math.max(1, R - start)}ms])`, R);
    return new Set(rows.map((r) => this.store.id(r.metric)));
  }
}
