import type { TracedQueries } from './trace.ts';

/**
 * Counter resets inside the period (a restarted Collector starts its counters from 0): per
 * series, the value just before each drop is spend the difference "end - start" misses. The
 * same method as the budget evaluator (packages/budget-evaluator/src/query/resets.ts), for a
 * period that may lie in the past: windows on a fixed grid are located by one range query
 * where a value falls below the one before it; only those windows' raw samples (and the last
 * sample before each window) are read.
 */

/** How far before the period start a series' last sample counts as its start value (s). */
export const START_LOOKBACK_SECONDS = 3600;

export interface Drop {
  /** Epoch ms of the first sample after the drop. */
  time: number;
  /** The counter's value before the drop: spend to add. */
  value: number;
}

export interface SeriesDrops {
  /** Series labels without `__name__`. */
  labels: Record<string, string>;
  drops: Drop[];
  /** Ids of the queries that found these drops. */
  queries: string[];
}

/** The locating window: at most ~1000 steps over the period, a whole number of minutes. */
export function resetWindowSeconds(seconds: number): number {
  return Math.max(60, Math.ceil(seconds / 1000 / 60) * 60);
}

/** Windows (of `windowMs`) with a value below the last one before it; unaggregated. */
export function locateQuery(metric: string, windowMs: number, lookbackMs: number): string {
  const w = `${metric}[${windowMs}ms]`;
  return `resets(${w}) > 0 or min_over_time(${w}) < last_over_time(${metric}[${lookbackMs}ms] offset ${windowMs}ms)`;
}

function seriesKey(metric: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(metric)
      .filter(([k]) => k !== '__name__')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Every drop of `metric`'s series with its first lower sample in (start, end]. */
export async function findDrops(
  q: TracedQueries,
  metric: string,
  start: number,
  end: number,
): Promise<SeriesDrops[]> {
  const delta = resetWindowSeconds((end - start) / 1000) * 1000;
  const floor = start - START_LOOKBACK_SECONDS * 1000;
  const first = (Math.floor(start / delta) + 1) * delta; // first grid end after the start
  const last = Math.ceil(end / delta) * delta - delta; // last grid end before `end`
  const lookback = end - floor;
  const windows = new Map<number, { length: number; locatedBy: string }>();
  if (last >= first) {
    const r = await q.queryRange(
      `${metric}: windows with a counter reset`,
      locateQuery(metric, delta, lookback),
      first,
      last,
      delta / 1000,
    );
    for (const s of r.series)
      for (const [t] of s.values)
        windows.set(Math.round(t * 1000), { length: delta, locatedBy: r.id });
  }
  if (last < end) {
    const tail = end - Math.max(last, start);
    const r = await q.query(
      `${metric}: counter reset in the last window`,
      locateQuery(metric, tail, lookback),
      end,
    );
    if (r.samples.length > 0) windows.set(end, { length: tail, locatedBy: r.id });
  }
  const out = new Map<string, SeriesDrops>();
  for (const [wEnd, { length, locatedBy }] of [...windows].sort((a, b) => a[0] - b[0])) {
    const wStart = wEnd - length;
    const raw = await q.queryMatrix(
      `${metric}: raw samples of a window with a reset`,
      `${metric}[${length}ms]`,
      wEnd,
    );
    const before =
      wStart > floor
        ? await q.query(
            `${metric}: last sample before that window`,
            `last_over_time(${metric}[${wStart - floor}ms] offset ${length}ms)`,
            wEnd,
          )
        : { id: '', samples: [] };
    const prev = new Map(before.samples.map((b) => [seriesKey(b.metric), b.value]));
    for (const s of raw.series) {
      const key = seriesKey(s.metric);
      let x = prev.get(key);
      const drops: Drop[] = [];
      for (const [t, v] of s.values) {
        const ms = Math.round(t * 1000);
        if (ms < floor) continue;
        // A drop inside the period: the counter restarted; what it had counted is kept.
        if (ms > wStart && ms > start && ms <= end && x !== undefined && v < x) {
          drops.push({ time: ms, value: x });
        }
        x = v;
      }
      if (drops.length === 0) continue;
      let entry = out.get(key);
      if (!entry) {
        const { __name__: _, ...labels } = s.metric;
        entry = { labels, drops: [], queries: [] };
        out.set(key, entry);
      }
      entry.drops.push(...drops);
      for (const id of [locatedBy, raw.id, before.id])
        if (id && !entry.queries.includes(id)) entry.queries.push(id);
    }
  }
  return [...out.values()];
}
