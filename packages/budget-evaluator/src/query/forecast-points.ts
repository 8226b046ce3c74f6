import type { Source } from '../types.ts';
import { COST_METRICS } from '../types.ts';
import type { LabelRows } from './ledger/label-rows.ts';
import type { QueryGroup } from './plan.ts';
import type { PrometheusClient } from './prometheus.ts';

/** The forecast's sampling: `steps + 1` points from `first` to `at`, `stepMs` apart. */
export interface ForecastGrid {
  first: number;
  steps: number;
  stepMs: number;
}

export function forecastGrid(group: QueryGroup, at: number): ForecastGrid {
  const stepMs = group.stepSeconds * 1000;
  const steps = Math.max(1, Math.round(group.lookbackSeconds / group.stepSeconds));
  return { first: at - steps * stepMs, steps, stepMs };
}

/** Cumulative cost per row of a label set: row r's points are `points[r*width .. +width)`. */
export interface RowPoints {
  rows: LabelRows;
  width: number;
  points: Float64Array;
}

const windowKey = (g: QueryGroup) => `${g.lookbackSeconds}|${g.stepSeconds}`;

/**
 * The cumulative cost at each forecast point, per row of each group's labels: what `sum by
 * (<group labels>) (<cost metrics>)` over the lookback gave per group, from one range query per
 * source and forecast window (lookback, step), summed by the union of the labels of the groups
 * that use it. A series absent at a point counts 0, as before.
 */
export async function cumulativeByGroup(
  prom: PrometheusClient,
  groups: readonly QueryGroup[],
  at: number,
  labelRows: (labels: readonly string[]) => LabelRows,
): Promise<Map<QueryGroup, RowPoints>> {
  const plans = new Map<string, { source: Source; labels: Set<string>; groups: QueryGroup[] }>();
  for (const g of groups) {
    for (const source of g.sources) {
      const key = `${windowKey(g)}|${source}`;
      let p = plans.get(key);
      if (!p) {
        p = { source, labels: new Set(), groups: [] };
        plans.set(key, p);
      }
      for (const l of g.labels) p.labels.add(l);
      p.groups.push(g);
    }
  }
  // Shared by groups with the same labels and forecast window.
  const shared = new Map<string, RowPoints>();
  const out = new Map<QueryGroup, RowPoints>();
  for (const g of groups) {
    const key = `${windowKey(g)}|${g.labels.join(',')}`;
    let rp = shared.get(key);
    if (!rp) {
      const width = forecastGrid(g, at).steps + 1;
      rp = { rows: labelRows(g.labels), width, points: new Float64Array(0) };
      shared.set(key, rp);
    }
    out.set(g, rp);
  }
  // One at a time: the answers are large (a row per label combination, often per series).
  for (const p of plans.values()) {
    const g0 = p.groups[0];
    const { first, steps, stepMs } = forecastGrid(g0, at);
    const labels = [...p.labels].sort();
    const by = labels.length > 0 ? `sum by (${labels.join(', ')})` : 'sum';
    const targets = [...new Set(p.groups.map((g) => out.get(g) as RowPoints))];
    await prom.eachRangeSeries(
      `${by} (${COST_METRICS[p.source]})`,
      first,
      at,
      g0.stepSeconds,
      (r) => {
        for (const rp of targets) {
          const base = rp.rows.rowOfLabels(r.metric) * rp.width;
          if (rp.points.length < base + rp.width) {
            const grown = new Float64Array(Math.max(1024 * rp.width, (base + rp.width) * 2));
            grown.set(rp.points);
            rp.points = grown;
          }
          for (const [t, v] of r.values) {
            const k = Math.round((t * 1000 - first) / stepMs);
            if (k >= 0 && k <= steps && Number.isFinite(v)) rp.points[base + k] += v;
          }
        }
      },
    );
  }
  return out;
}
