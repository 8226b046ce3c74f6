import { periodWindow } from '@burnrate/budget-evaluator';

/** The reporting period: [start, end) in epoch ms, with the time zone its calendar is in. */
export interface ReportPeriod {
  /** e.g. `2025-02`, `2025-Q1`, `2025-02-03..2025-02-10`. */
  label: string;
  timeZone: string;
  start: number;
  /** The end the report covers: the period's end, or now if that is earlier. */
  end: number;
  /** The period's own end (exclusive). */
  periodEnd: number;
  /** False while the period is still running (the report is "to date"). */
  complete: boolean;
}

export class PeriodError extends Error {}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when the runtime knows this IANA time zone (or a fixed offset such as +05:30). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function calendar(unit: 'daily' | 'monthly' | 'quarterly', timeZone: string, at: number) {
  const w = periodWindow({ kind: 'calendar', unit, timeZone }, at);
  return { start: w.start, end: w.end };
}

function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** An instant whose local date in `timeZone` is y-m-d (zones run from UTC-12 to UTC+14). */
function instantOn(y: number, m: number, d: number, timeZone: string): number {
  const want = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  let t = Date.UTC(y, m - 1, d, 12);
  const got = localDate(t, timeZone);
  if (got > want) t -= 12 * 3600_000;
  else if (got < want) t += 12 * 3600_000;
  return t;
}

/** `YYYY-MM-DD` (local midnight in the time zone) or an ISO timestamp with `Z` or an offset. */
export function parseInstant(text: string, timeZone: string, flag: string): number {
  const d = DATE.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const check = new Date(Date.UTC(y, m - 1, day));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day) {
      throw new PeriodError(`${flag}: no such date "${text}"`);
    }
    return calendar('daily', timeZone, instantOn(y, m, day, timeZone)).start;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new PeriodError(
    `${flag}: expected a date (2025-02-01, local midnight in the time zone) or a timestamp with a zone (2025-02-01T00:00:00Z), got "${text}"`,
  );
}

export interface PeriodArgs {
  period?: string;
  from?: string;
  to?: string;
  timeZone: string;
  now: number;
}

/**
 * `month`, `quarter` (current, to date), `last-month`, `last-quarter`, `YYYY-MM`, `YYYY-Qn`,
 * or `from`/`to` (end exclusive). Calendar periods follow the time zone.
 */
export function resolvePeriod(args: PeriodArgs): ReportPeriod {
  const { timeZone, now } = args;
  if (!isTimeZone(timeZone)) throw new PeriodError(`--timezone: unknown time zone "${timeZone}"`);
  if (args.period !== undefined && (args.from !== undefined || args.to !== undefined)) {
    throw new PeriodError('use either --period or --from/--to, not both');
  }
  let label: string;
  let bounds: { start: number; end: number };
  if (args.period === undefined && args.from === undefined && args.to === undefined) {
    args = { ...args, period: 'month' };
  }
  if (args.period !== undefined) {
    const p = args.period;
    const month = MONTH.exec(p);
    const quarter = QUARTER.exec(p);
    if (p === 'month' || p === 'last-month') {
      bounds = calendar('monthly', timeZone, now);
      if (p === 'last-month') bounds = calendar('monthly', timeZone, bounds.start - 1);
      label = monthLabel(bounds.start, timeZone);
    } else if (p === 'quarter' || p === 'last-quarter') {
      bounds = calendar('quarterly', timeZone, now);
      if (p === 'last-quarter') bounds = calendar('quarterly', timeZone, bounds.start - 1);
      label = quarterLabel(bounds.start, timeZone);
    } else if (month) {
      const at = instantOn(Number(month[1]), Number(month[2]), 15, timeZone);
      bounds = calendar('monthly', timeZone, at);
      label = p;
    } else if (quarter) {
      const mid = (Number(quarter[2]) - 1) * 3 + 2;
      bounds = calendar('quarterly', timeZone, instantOn(Number(quarter[1]), mid, 15, timeZone));
      label = p.toUpperCase();
    } else {
      throw new PeriodError(
        `--period: expected month, quarter, last-month, last-quarter, YYYY-MM or YYYY-Qn, got "${p}"`,
      );
    }
  } else {
    if (args.from === undefined || args.to === undefined) {
      throw new PeriodError('--from and --to go together');
    }
    const sec = (ms: number) => Math.floor(ms / 1000) * 1000;
    bounds = {
      start: sec(parseInstant(args.from, timeZone, '--from')),
      end: sec(parseInstant(args.to, timeZone, '--to')),
    };
    if (bounds.end <= bounds.start) throw new PeriodError('--to must be after --from');
    label = `${args.from}..${args.to}`;
  }
  const nowS = Math.floor(now / 1000) * 1000;
  if (bounds.start >= nowS) throw new PeriodError(`the period ${label} has not started yet`);
  const end = Math.min(bounds.end, nowS);
  return {
    label,
    timeZone,
    start: bounds.start,
    end,
    periodEnd: bounds.end,
    complete: bounds.end <= nowS,
  };
}

function monthLabel(start: number, timeZone: string): string {
  return localDate(start, timeZone).slice(0, 7);
}

function quarterLabel(start: number, timeZone: string): string {
  const [y, m] = localDate(start, timeZone).split('-').map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** Local day boundaries from `start` to `end` (the last day may be partial). */
export function localDays(start: number, end: number, timeZone: string): Array<[number, number]> {
  const days: Array<[number, number]> = [];
  let t = start;
  while (t < end && days.length < 400) {
    const next = calendar('daily', timeZone, t).end;
    days.push([t, Math.min(next, end)]);
    t = next;
  }
  return days;
}

/** `2025-02-03 00:00` in the time zone. */
export function formatLocal(ms: number, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = Object.fromEntries(f.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
