// A cron-like weekly schedule in a time zone: "Mon 09:00", "Mon,Thu 08:30", "Mon-Fri 07:00",
// "daily 18:00", several times with "Mon 09:00 17:00". Next runs are computed on the wall
// clock of the zone, so they follow daylight-saving changes.
import { wallTimeAt, zonedInstant } from '@burnrate/budget-evaluator';

export interface Schedule {
  /** The text it was parsed from. */
  text: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) it runs on. */
  weekdays: number[];
  /** Times of day, minutes after local midnight, ascending. */
  times: number[];
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name.slice(0, 3).toLowerCase());
  const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const ok = i >= 0 && (name.length === 3 || full[i] === name.toLowerCase());
  return ok ? i + 1 : 0;
}

/** Parses a schedule; returns an error message instead of throwing. */
export function parseSchedule(text: string): Schedule | string {
  const usage = `expected "<days> HH:MM" such as "Mon 09:00", "Mon,Thu 08:30", "Mon-Fri 07:00" or "daily 18:00", got "${text}"`;
  const [dayPart, ...timeParts] = text.trim().split(/\s+/);
  if (!dayPart || timeParts.length === 0) return usage;
  const weekdays = new Set<number>();
  if (dayPart.toLowerCase() === 'daily' || dayPart === '*') {
    for (let d = 1; d <= 7; d++) weekdays.add(d);
  } else {
    for (const item of dayPart.split(',')) {
      const [a, b, ...rest] = item.split('-');
      const from = dayIndex(a ?? '');
      const to = b === undefined ? from : dayIndex(b);
      if (!from || !to || rest.length > 0) return usage;
      for (let d = from; ; d = (d % 7) + 1) {
        weekdays.add(d);
        if (d === to) break;
      }
    }
  }
  const times: number[] = [];
  for (const t of timeParts) {
    const m = TIME.exec(t);
    if (!m) return usage;
    times.push(Number(m[1]) * 60 + Number(m[2]));
  }
  return {
    text,
    weekdays: [...weekdays].sort((a, b) => a - b),
    times: [...new Set(times)].sort((a, b) => a - b),
  };
}

/**
 * The first scheduled instant strictly after `after` (epoch ms). A time that falls into a
 * daylight-saving gap runs at the end of the gap (02:30 on a spring-forward night runs at
 * 03:00); a time that occurs twice (autumn) runs once, at its first occurrence.
 */
export function nextRun(schedule: Schedule, timeZone: string, after: number): number {
  const w = wallTimeAt(after, timeZone);
  for (let offset = 0; offset <= 8; offset++) {
    const date = new Date(Date.UTC(w.year, w.month - 1, w.day + offset));
    const weekday = ((date.getUTCDay() + 6) % 7) + 1;
    if (!schedule.weekdays.includes(weekday)) continue;
    for (const minutes of schedule.times) {
      const at = zonedInstant(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        Math.floor(minutes / 60),
        minutes % 60,
        timeZone,
      );
      if (at > after) return at;
    }
  }
  throw new Error(`no run of "${schedule.text}" within 8 days`); // unreachable: ≥ 1 weekday
}
