import type { SeriesStore } from './series-store.ts';

/** How far before a window's start the last sample counts as the series' start value. */
export const START_LOOKBACK_MS = 3_600_000;

/** What the ledger read from Prometheus for one window (period) of one cost metric. */
export interface WindowInputs {
  /** The window's first instant (ms). */
  start: number;
  /** Per series index: its last value in [start - 1 h, start] (`hasStart` 1), else absent. */
  startV: Float64Array;
  hasStart: Uint8Array;
  /** Per series: the values before each drop in (start, R] (what restarted counters had). */
  bootCorr: Map<number, number>;
  /** Series with a sample in [start, R]; read only when some series needs it, else null. */
  members: Set<number> | null;
}

/**
 * One series' spend in a window, exactly as the period-spend PromQL of earlier versions gave it:
 * its last value in the window minus its start value (0 for a series born inside the window),
 * plus the value before every counter reset in the window whose previous sample lies within
 * the hour before the window start or later. 0 for a series without a sample in the window.
 * `undefined` when that cannot be told without `members` (a series quiet since before R).
 */
export function seriesSpend(
  st: SeriesStore,
  i: number,
  w: WindowInputs,
  horizon: number,
): number | undefined {
  const s = w.start;
  const hasStart = i < w.hasStart.length && w.hasStart[i] === 1;
  const start = hasStart ? w.startV[i] : 0;
  const boot = w.bootCorr.get(i) ?? 0;
  if (st.hasTail[i] === 1) {
    if (st.lastT[i] < s) return 0;
    let corr = boot;
    if (st.t1[i] > s) {
      // The first sample after R against the one before it (the series' last at or before R).
      const prev = prevOfFirstTail(st, i, w, horizon, hasStart);
      if (prev === null) return undefined;
      if (prev !== undefined && st.v1[i] < prev) corr += prev;
    }
    const events = st.events.get(i);
    if (events) {
      for (const e of events) if (e.t > s && e.prevT >= s - START_LOOKBACK_MS) corr += e.prevV;
    }
    return st.lastV[i] - start + corr;
  }
  if (st.bootKnown[i] === 0) return 0;
  const bt = st.bootT[i];
  let member: boolean;
  if (!Number.isNaN(bt)) member = bt >= s;
  else if (s > horizon) member = false;
  // With a start value, a series whose last sample is before the window has that sample as its
  // start value too: last - start = 0 whether it counts as in the window or not.
  else if (hasStart) member = true;
  else if (w.members === null) return undefined;
  else member = w.members.has(i);
  return member ? st.bootV[i] - start + boot : 0;
}

/**
 * The sample before a series' first one after R, if it lies within the hour before the window
 * start or later (else `undefined`: a drop against it is not counted); `null` when unknown.
 */
function prevOfFirstTail(
  st: SeriesStore,
  i: number,
  w: WindowInputs,
  horizon: number,
  hasStart: boolean,
): number | undefined | null {
  if (st.bootKnown[i] === 0) {
    // Nothing in [earliest window start, R]: the sample before is the start value, if any.
    return hasStart ? w.startV[i] : undefined;
  }
  const bt = st.bootT[i];
  if (!Number.isNaN(bt)) return bt >= w.start - START_LOOKBACK_MS ? st.bootV[i] : undefined;
  if (hasStart) return st.bootV[i];
  if (w.start > horizon) return undefined;
  if (w.members === null) return null;
  return w.members.has(i) ? st.bootV[i] : undefined;
}

/** Every series' spend in a window (see {@link seriesSpend}); null if `members` is needed. */
export function windowSpend(
  st: SeriesStore,
  w: WindowInputs,
  horizon: number,
): Float64Array | null {
  const out = new Float64Array(st.size);
  for (let i = 0; i < st.size; i++) {
    const v = seriesSpend(st, i, w, horizon);
    if (v === undefined) return null;
    out[i] = v;
  }
  return out;
}

/** Whether each series has a sample in the window (its spend counts as a row). */
export function windowMembers(st: SeriesStore, w: WindowInputs, horizon: number): Uint8Array {
  const out = new Uint8Array(st.size);
  for (let i = 0; i < st.size; i++) {
    if (st.hasTail[i] === 1) out[i] = st.lastT[i] >= w.start ? 1 : 0;
    else if (st.bootKnown[i] === 1) {
      const bt = st.bootT[i];
      if (!Number.isNaN(bt)) out[i] = bt >= w.start ? 1 : 0;
      else if (w.start <= horizon && w.members !== null) out[i] = w.members.has(i) ? 1 : 0;
      else if (w.start <= horizon) out[i] = 1;
    }
  }
  return out;
}
