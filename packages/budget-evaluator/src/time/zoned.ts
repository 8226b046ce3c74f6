// Wall-clock arithmetic in IANA time zones with Intl only (Node 24 has no Temporal): the
// evaluator's budget periods and the finance package's forecasts and digests share it.

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at instant `ms`. */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const out: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type === 'weekday') out.weekday = WEEKDAYS[p.value] ?? 0;
    else if (p.type in out) out[p.type as keyof WallTime] = Number(p.value);
  }
  return out;
}

function wallKey(w: { year: number; month: number; day: number; hour: number; minute: number }) {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}

/** UTC offset of `timeZone` at `ms` in milliseconds (east of UTC positive). */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallTimeAt(ms, timeZone);
  return (
    Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000
  );
}

/**
 * The instant at which the wall clock in `timeZone` reads the given local time (fields may
 * overflow like Date.UTC: day 32, month 13). When the time occurs twice (clocks go back) the
 * earlier instant; when it does not exist (clocks jump forward over it) the first instant after
 * the gap, i.e. the moment of the jump.
 */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const target = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set([
    offsetAt(target - 36 * 3_600_000, timeZone),
    offsetAt(target, timeZone),
    offsetAt(target + 36 * 3_600_000, timeZone),
  ]);
  const candidates = [...offsets].map((o) => target - o).sort((a, b) => a - b);
  for (const c of candidates) if (wallKey(wallTimeAt(c, timeZone)) === target) return c;
  // Skipped by a jump forward: binary search the first instant whose wall clock is later.
  let lo = candidates[0] - 3 * 3_600_000;
  let hi = candidates[candidates.length - 1] + 3 * 3_600_000;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallKey(wallTimeAt(mid, timeZone)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Start of the local day `year-month-day` (overflow allowed) in `timeZone`. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string) {
  return zonedInstant(year, month, day, 0, 0, timeZone);
}

/** Start of the local day containing `ms`. */
export function startOfDayAt(ms: number, timeZone: string): number {
  const w = wallTimeAt(ms, timeZone);
  return startOfLocalDay(w.year, w.month, w.day, timeZone);
}

export type CalendarPeriod = 'month' | 'quarter';

/** [start, end) of the calendar month or quarter containing `ms`, in `timeZone`. */
export function calendarPeriod(ms: number, unit: CalendarPeriod, timeZone: string) {
  const w = wallTimeAt(ms, timeZone);
  const first = unit === 'month' ? w.month : Math.floor((w.month - 1) / 3) * 3 + 1;
  const len = unit === 'month' ? 1 : 3;
  return {
    start: startOfLocalDay(w.year, first, 1, timeZone),
    end: startOfLocalDay(w.year, first + len, 1, timeZone),
  };
}
