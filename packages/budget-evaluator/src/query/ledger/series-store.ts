import { SELECTOR_LABELS } from '../../config/schema.ts';

/** A counter reset seen by the evaluator between two samples it read (exact times). */
export interface DropEvent {
  /** Time (ms) of the lower sample. */
  t: number;
  /** Time (ms) and value of the sample before it. */
  prevT: number;
  prevV: number;
}

/** Series identity without the metric name (the same key for every answer that names it). */
export function seriesKey(metric: Readonly<Record<string, string>>): string {
  const keys = Object.keys(metric).sort();
  let key = '';
  for (const k of keys) if (k !== '__name__') key += `${k}\u0001${metric[k]}\u0002`;
  return key;
}

/**
 * Per-series state of one cost metric, kept across cycles. The ledger's horizon R splits a
 * series' samples in two: those at or before R are summarised by the last one (`boot*`: its
 * value, and its time when the evaluator read it raw, else NaN), those after R are read raw as
 * they arrive (`t1`/`v1` the first, `last*` the latest, `events` every drop between two of them).
 */
export class SeriesStore {
  readonly index = new Map<string, number>();
  /** Selector label values per series ('' when absent), interned. */
  readonly labels: string[][] = [];
  size = 0;
  bootV = new Float64Array(0);
  bootT = new Float64Array(0);
  bootKnown = new Uint8Array(0);
  hasTail = new Uint8Array(0);
  t1 = new Float64Array(0);
  v1 = new Float64Array(0);
  lastT = new Float64Array(0);
  lastV = new Float64Array(0);
  readonly events = new Map<number, DropEvent[]>();
  /** Latest sample time seen after R (ms), -Infinity before any. */
  maxSeenT = Number.NEGATIVE_INFINITY;
  private readonly strings = new Map<string, string>();

  /** The index of a series, registering it on first sight. */
  id(metric: Readonly<Record<string, string>>): number {
    const key = seriesKey(metric);
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const i = this.size++;
    if (i >= this.bootV.length) this.grow(Math.max(1024, i * 2));
    this.index.set(key, i);
    this.labels.push(SELECTOR_LABELS.map((l) => this.intern(metric[l] ?? '')));
    this.bootT[i] = Number.NaN;
    return i;
  }

  /** The last sample at or before R; `t` NaN when only its value is known. */
  setBoot(i: number, t: number, v: number): void {
    this.bootKnown[i] = 1;
    this.bootT[i] = t;
    this.bootV[i] = v;
  }

  /** A sample after R. Samples of a series come in time order; one already applied is skipped. */
  addTail(i: number, t: number, v: number): void {
    if (t > this.maxSeenT) this.maxSeenT = t;
    if (this.hasTail[i] === 0) {
      this.hasTail[i] = 1;
      this.t1[i] = this.lastT[i] = t;
      this.v1[i] = this.lastV[i] = v;
      return;
    }
    if (t <= this.lastT[i]) return;
    if (v < this.lastV[i]) {
      const list = this.events.get(i);
      const e = { t, prevT: this.lastT[i], prevV: this.lastV[i] };
      if (list) list.push(e);
      else this.events.set(i, [e]);
    }
    this.lastT[i] = t;
    this.lastV[i] = v;
  }

  /** Forgets drops no window can contain any more (lower sample at or before `t`). */
  pruneEvents(t: number): void {
    for (const [i, list] of this.events) {
      const keep = list.filter((e) => e.t > t);
      if (keep.length === 0) this.events.delete(i);
      else if (keep.length < list.length) this.events.set(i, keep);
    }
  }

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private grow(n: number): void {
    const f = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const u = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.bootV = f(this.bootV);
    this.bootT = f(this.bootT);
    this.bootKnown = u(this.bootKnown);
    this.hasTail = u(this.hasTail);
    this.t1 = f(this.t1);
    this.v1 = f(this.v1);
    this.lastT = f(this.lastT);
    this.lastV = f(this.lastV);
  }
}
