// Wall-clock arithmetic in IANA time zones using only Intl (no Temporal in Node 24).

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 1 = Monday ... 7 = Sunday (ISO)
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

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

/** True when the runtime knows this IANA time zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at the instant `ms` (epoch milliseconds). */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const out: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of parts) {
    if (p.type === 'weekday') out.weekday = WEEKDAYS[p.value] ?? 0;
    else if (p.type in out) out[p.type as keyof WallTime] = Number(p.value);
  }
  return out;
}

/** UTC offset of `timeZone` at instant `ms`, in milliseconds (east of UTC is positive). */
export function offsetAt(ms: number, timeZone: string): number {
  const w = wallTimeAt(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The first instant at which the wall clock in `timeZone` reads year-month-day 00:00:00
 * or later. Month/day may overflow (month 13 = January next year), like Date.UTC.
 * When midnight is skipped by a DST jump the transition instant is returned; when it
 * occurs twice, the earlier one.
 */
export function startOfLocalDay(
  year: number,
  month: number,
  day: number,
  timeZone: string,
): number {
  const utcWall = Date.UTC(year, month - 1, day);
  const norm = new Date(utcWall);
  const want = [norm.getUTCFullYear(), norm.getUTCMonth() + 1, norm.getUTCDate()];
  const before = offsetAt(utcWall - 36 * 3600_000, timeZone);
  const after = offsetAt(utcWall + 36 * 3600_000, timeZone);
  const candidates = [...new Set([utcWall - before, utcWall - after])].sort((a, b) => a - b);
  for (const c of candidates) {
    const w = wallTimeAt(c, timeZone);
    if (
      w.year === want[0] &&
      w.month === want[1] &&
      w.day === want[2] &&
      w.hour === 0 &&
      w.minute === 0 &&
      w.second === 0
    ) {
      return c;
    }
  }
  // Midnight does not exist that day (clocks jump forward across 00:00): the day starts at
  // the transition, the first instant whose wall clock reads that date. Binary search (1 s).
  const key = (w: WallTime) => w.year * 10_000 + w.month * 100 + w.day;
  const target = want[0] * 10_000 + want[1] * 100 + want[2];
  let lo = Math.min(...candidates) - 3600_000; // wall clock still on the previous day
  let hi = Math.max(...candidates) + 3600_000; // wall clock already on that day
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (key(wallTimeAt(mid, timeZone)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
