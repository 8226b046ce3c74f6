import { SELECTOR_LABELS } from '../../config/schema.ts';
import { KEY_SEP } from '../plan.ts';
import type { SeriesStore } from './series-store.ts';

/**
 * The rows of `sum by (<labels>)` over the series of the ledger: one row per distinct value
 * combination, and per series (per source) the row it adds to. Series are assigned once; rows
 * only grow, so the mapping is kept across cycles.
 */
export class LabelRows {
  readonly labels: readonly string[];
  readonly keys = new Map<string, number>();
  readonly rows: Array<Record<string, string>> = [];
  private readonly positions: number[];
  private readonly rowOf = new WeakMap<SeriesStore, Int32Array>();
  private readonly done = new WeakMap<SeriesStore, number>();

  constructor(labels: readonly string[]) {
    this.labels = labels;
    this.positions = labels.map((l) => (SELECTOR_LABELS as readonly string[]).indexOf(l));
  }

  /** The row of a result row of `sum by (<at least these labels>)`, added if new. */
  rowOfLabels(metric: Readonly<Record<string, string>>): number {
    let key = '';
    for (let k = 0; k < this.labels.length; k++) {
      if (k > 0) key += KEY_SEP;
      key += metric[this.labels[k]] ?? '';
    }
    let row = this.keys.get(key);
    if (row === undefined) {
      row = this.rows.length;
      this.keys.set(key, row);
      const labels: Record<string, string> = {};
      for (const l of this.labels) labels[l] = metric[l] ?? '';
      this.rows.push(labels);
    }
    return row;
  }

  /** Per series of `store`, its row. */
  rowsOf(store: SeriesStore): Int32Array {
    let map = this.rowOf.get(store);
    const from = this.done.get(store) ?? 0;
    if (!map || map.length < store.size) {
      const grown = new Int32Array(Math.max(1024, store.size * 2));
      if (map) grown.set(map);
      map = grown;
      this.rowOf.set(store, map);
    }
    for (let i = from; i < store.size; i++) {
      const values = store.labels[i];
      let key = '';
      for (let k = 0; k < this.positions.length; k++) {
        if (k > 0) key += KEY_SEP;
        key += values[this.positions[k]];
      }
      let row = this.keys.get(key);
      if (row === undefined) {
        row = this.rows.length;
        this.keys.set(key, row);
        const labels: Record<string, string> = {};
        this.labels.forEach((l, k) => {
          labels[l] = values[this.positions[k]];
        });
        this.rows.push(labels);
      }
      map[i] = row;
    }
    this.done.set(store, store.size);
    return map;
  }
}

/** Row sums of one window's spend over the given sources; `present` marks rows with a series. */
export function sumRows(
  rows: LabelRows,
  parts: ReadonlyArray<{ store: SeriesStore; spend: Float64Array; members: Uint8Array }>,
): { sums: Float64Array; present: Uint8Array } {
  const maps = parts.map((p) => rows.rowsOf(p.store));
  const sums = new Float64Array(rows.rows.length);
  const present = new Uint8Array(rows.rows.length);
  parts.forEach((p, k) => {
    const map = maps[k];
    for (let i = 0; i < p.spend.length; i++) {
      if (p.members[i] === 0) continue;
      sums[map[i]] += p.spend[i];
      present[map[i]] = 1;
    }
  });
  return { sums, present };
}
