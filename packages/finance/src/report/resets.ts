import {
  type Drop,
  locateQuery,
  resetGrid,
  seriesDrops,
  seriesKey,
} from '@burnrate/budget-evaluator';
import type { TracedQueries } from './trace.ts';

export type { Drop };

/**
 * Counter resets inside the period (a restarted Collector starts its counters from 0): per
 * series, the value just before each drop is spend the difference "end - start" misses. The
 * budget evaluator's method and code (its query/resets.ts: the grid of windows, the locating
 * query, the drops of a series), for a period that may lie in the past, keeping each drop and
 * the queries that found it for the report's trace: windows on a fixed grid are located by one
 * range query where a value falls below the one before it; only those windows' raw samples (and
 * the last sample before each window) are read.
 */

export interface SeriesDrops {
  /** Series labels without `__name__`. */
  labels: Record<string, string>;
  drops: Drop[];
  /** Ids of the queries that found these drops. */
  queries: string[];
}

/** Every drop of `metric`'s series with its first lower sample in (start, end]. */
export async function findDrops(
  q: TracedQueries,
  metric: string,
  start: number,
  end: number,
): Promise<SeriesDrops[]> {
  const { delta, floor, first, last, lookback } = resetGrid(start, end);
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
      const g = { floor, after: wStart, periodStart: start, end };
      const drops = seriesDrops(s.values, prev.get(key), g);
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
