import type { Source } from '../types.ts';
import { COST_METRICS } from '../types.ts';
import { START_LOOKBACK_SECONDS } from './plan.ts';
import type { PrometheusClient, Sample } from './prometheus.ts';

/**
 * Exact period spend across counter resets. Per series, spend = last value - start value + the
 * value just before each reset in the period (what a restarted Collector had counted). The
 * spend query gives the first part; this finds the second without reading every sample of the
 * period each cycle: windows of `delta` seconds on a fixed grid (multiples of `delta` since the
 * epoch, the last one ending now) are located by one range query where a value falls below the
 * one before it; only those windows' raw samples (and the last sample before each) are read,
 * and a past window's result is kept for the next cycles. The sample before a window may be
 * anywhere since the period start, so a series that went quiet (or expired in the Collector)
 * and came back from 0 is counted exactly too.
 */

/** The locating window: at most ~1000 steps over the period, a whole number of minutes. */
export function resetWindowSeconds(elapsedSeconds: number): number {
  return Math.max(60, Math.ceil(elapsedSeconds / 1000 / 60) * 60);
}

/** Where the counter resets of a period (epoch ms `start` to `end`) are looked for. */
export interface ResetGrid {
  /** The locating window (ms): grid ends are its multiples since the epoch. */
  delta: number;
  /** A series' start value is its last sample at most START_LOOKBACK before the period. */
  floor: number;
  /** The first grid end after the start, and the last one before `end` (a window from there to
   * `end` is located on its own when `last < end`). */
  first: number;
  last: number;
  /** How far back the value before a window is looked for, from `end`. */
  lookback: number;
}

export function resetGrid(start: number, end: number): ResetGrid {
  const delta = resetWindowSeconds((end - start) / 1000) * 1000;
  const floor = start - START_LOOKBACK_SECONDS * 1000;
  return {
    delta,
    floor,
    first: (Math.floor(start / delta) + 1) * delta,
    last: Math.ceil(end / delta) * delta - delta,
    lookback: end - floor,
  };
}

/** Windows (of `windowMs`) with a value below the last one before it; unaggregated. */
export function locateQuery(metric: string, windowMs: number, lookbackMs: number): string {
  const w = `${metric}[${windowMs}ms]`;
  return `resets(${w}) > 0 or min_over_time(${w}) < last_over_time(${metric}[${lookbackMs}ms] offset ${windowMs}ms)`;
}

/** Series identity without the metric name. */
export function seriesKey(metric: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(metric)
      .filter(([k]) => k !== '__name__')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** A counter reset: the first lower sample's time (epoch ms) and the value before it. */
export interface Drop {
  time: number;
  /** What the counter had counted before it restarted: spend the difference "end - start" misses. */
  value: number;
}

/**
 * The drops of one series in a window: every sample lower than the one before it (the first
 * compared with `before`, the series' last value before the window) whose time is after both
 * `after` (the window's start) and the period's start, and at most `end`. Samples older than
 * `floor` are not read.
 */
export function seriesDrops(
  values: Iterable<readonly [number, number]>,
  before: number | undefined,
  g: { floor: number; after: number; periodStart: number; end: number },
): Drop[] {
  const drops: Drop[] = [];
  let x = before;
  for (const [t, v] of values) {
    const ms = Math.round(t * 1000);
    if (ms < g.floor) continue;
    // A drop inside the period: the counter restarted; what it had counted is kept.
    if (ms > g.after && ms > g.periodStart && ms <= g.end && x !== undefined && v < x) {
      drops.push({ time: ms, value: x });
    }
    x = v;
  }
  return drops;
}

/**
 * A window's corrections stay valid once no more samples can land in it (and, being keyed by
 * the period start, for the whole of a calendar period; a rolling window's start moves, so its
 * windows are read again each cycle).
 */
const SETTLED_MS = 120_000;

/** Corrections of past windows, kept across cycles; entries unused in a cycle are dropped. */
export class ResetCache {
  private entries = new Map<string, Promise<Map<string, Sample>>>();
  private used = new Set<string>();

  get(key: string, settled: boolean, run: () => Promise<Map<string, Sample>>) {
    this.used.add(key);
    let p = this.entries.get(key);
    if (!p) {
      p = run();
      if (settled) this.entries.set(key, p);
      p.catch(() => this.entries.delete(key));
    }
    return p;
  }

  /** Call after each cycle. */
  sweep(): void {
    for (const k of this.entries.keys()) if (!this.used.has(k)) this.entries.delete(k);
    this.used.clear();
  }
}

/**
 * For one source, the sum per series of the values just before each counter reset in the
 * period (`seconds` up to `at`), as rows (labels without the metric name) to add to the spend.
 */
export async function resetCorrections(
  prom: PrometheusClient,
  source: Source,
  at: number,
  seconds: number,
  cache: ResetCache,
): Promise<Sample[]> {
  const metric = COST_METRICS[source];
  const periodStart = at - seconds * 1000;
  const { delta, floor, first, last, lookback } = resetGrid(periodStart, at);
  const [full, partial] = await Promise.all([
    last >= first
      ? prom.queryRange(locateQuery(metric, delta, lookback), first, last, delta / 1000)
      : Promise.resolve([]),
    last < at
      ? prom.query(locateQuery(metric, at - Math.max(last, 0), lookback), at)
      : Promise.resolve([]),
  ]);
  const windows = new Map<number, number>(); // end -> length (ms)
  for (const s of full) for (const [t] of s.values) windows.set(Math.round(t * 1000), delta);
  if (partial.length > 0) windows.set(at, at - last);
  const sums = new Map<string, Sample>();
  for (const [end, length] of windows) {
    const key = `${metric}|${end}|${length}|${periodStart}`;
    const settled = end + SETTLED_MS <= at;
    const rows = await cache.get(key, settled, () =>
      windowCorrections(prom, metric, end, length, periodStart, floor),
    );
    for (const [k, row] of rows) {
      const sum = sums.get(k);
      if (sum) sum.value += row.value;
      else sums.set(k, { metric: row.metric, value: row.value });
    }
  }
  return [...sums.values()];
}

/** Per series, the values before each drop whose lower sample is in (end - length, end]. */
async function windowCorrections(
  prom: PrometheusClient,
  metric: string,
  end: number,
  length: number,
  periodStart: number,
  floor: number,
): Promise<Map<string, Sample>> {
  const start = end - length;
  const [raw, before] = await Promise.all([
    prom.queryMatrix(`${metric}[${length}ms]`, end),
    start > floor
      ? prom.query(`last_over_time(${metric}[${start - floor}ms] offset ${length}ms)`, end)
      : Promise.resolve([] as Sample[]),
  ]);
  const prev = new Map(before.map((b) => [seriesKey(b.metric), b.value]));
  const out = new Map<string, Sample>();
  for (const s of raw) {
    const key = seriesKey(s.metric);
    const g = { floor, after: start, periodStart, end };
    let add = 0;
    for (const drop of seriesDrops(s.values, prev.get(key), g)) add += drop.value;
    if (add === 0) continue;
    const { __name__: _, ...labels } = s.metric;
    out.set(key, { metric: labels, value: add });
  }
  return out;
}
