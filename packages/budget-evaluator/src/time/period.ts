import { startOfLocalDay, wallTimeAt } from './zoned.ts';

export type CalendarUnit = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export type PeriodSpec =
  | { kind: 'calendar'; unit: CalendarUnit; timeZone: string }
  | { kind: 'rolling'; seconds: number; label: string };

export interface PeriodWindow {
  /** Epoch ms of the period's first instant (inclusive). */
  start: number;
  /** Epoch ms at which the period ends (exclusive); for rolling windows, `now`. */
  end: number;
  /** Whole seconds from `start` to `now`: the range of the `increase` query. */
  elapsedSeconds: number;
  /** Seconds from `now` to `end` (0 for rolling windows). */
  remainingSeconds: number;
  /** Stable identity of this period instance (changes at rollover). */
  id: string;
}

const CALENDAR_UNITS: readonly CalendarUnit[] = [
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
];
const ROLLING = /^rolling-(\d+)([hd])$/;

/**
 * Parses a period string of budgets.yaml: `daily`, `weekly`, `monthly`, `quarterly`, `yearly`
 * (calendar, in `timeZone`) or `rolling-7d`, `rolling-30d`, `rolling-<n>d`, `rolling-<n>h`.
 * Returns an error message instead of throwing.
 */
export function parsePeriod(text: string, timeZone: string): PeriodSpec | string {
  if ((CALENDAR_UNITS as readonly string[]).includes(text)) {
    return { kind: 'calendar', unit: text as CalendarUnit, timeZone };
  }
  const m = ROLLING.exec(text);
  if (m) {
    const n = Number(m[1]);
    const seconds = n * (m[2] === 'd' ? 86_400 : 3600);
    if (n < 1 || seconds > 400 * 86_400) return `rolling window must be between 1h and 400d`;
    return { kind: 'rolling', seconds, label: text };
  }
  return `expected one of ${CALENDAR_UNITS.join(', ')}, rolling-7d, rolling-30d (or rolling-<n>d / rolling-<n>h), got "${text}"`;
}

/** The calendar period containing `now` in its time zone. */
function calendarBounds(unit: CalendarUnit, timeZone: string, now: number): [number, number] {
  const w = wallTimeAt(now, timeZone);
  const y = w.year;
  let m = w.month;
  let d = w.day;
  let next: [number, number, number];
  switch (unit) {
    case 'daily':
      next = [y, m, d + 1];
      break;
    case 'weekly':
      d -= w.weekday - 1; // ISO weeks start on Monday
      next = [y, m, d + 7];
      break;
    case 'monthly':
      d = 1;
      next = [y, m + 1, 1];
      break;
    case 'quarterly':
      d = 1;
      m = Math.floor((m - 1) / 3) * 3 + 1;
      next = [y, m + 3, 1];
      break;
    case 'yearly':
      d = 1;
      m = 1;
      next = [y + 1, 1, 1];
      break;
  }
  const start = startOfLocalDay(y, m, d, timeZone);
  const end = startOfLocalDay(next[0], next[1], next[2], timeZone);
  return [start, end];
}

/** The period window containing `now` (epoch ms). */
export function periodWindow(spec: PeriodSpec, now: number): PeriodWindow {
  const nowS = Math.floor(now / 1000) * 1000;
  if (spec.kind === 'rolling') {
    return {
      start: nowS - spec.seconds * 1000,
      end: nowS,
      elapsedSeconds: spec.seconds,
      remainingSeconds: 0,
      id: spec.label,
    };
  }
  const [start, end] = calendarBounds(spec.unit, spec.timeZone, nowS);
  return {
    start,
    end,
    elapsedSeconds: Math.max(0, Math.floor((nowS - start) / 1000)),
    remainingSeconds: Math.max(0, Math.floor((end - nowS) / 1000)),
    id: `${spec.unit}:${new Date(start).toISOString()}`,
  };
}

/** A key shared by all budgets whose windows are always identical. */
export function periodKey(spec: PeriodSpec): string {
  return spec.kind === 'rolling' ? spec.label : `${spec.unit}@${spec.timeZone}`;
}

/** Human-readable form for the API and alerts, e.g. `monthly (Europe/Berlin)`. */
export function describePeriod(spec: PeriodSpec): string {
  return spec.kind === 'rolling' ? spec.label : `${spec.unit} (${spec.timeZone})`;
}
