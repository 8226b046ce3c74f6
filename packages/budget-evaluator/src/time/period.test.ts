import { describe, expect, it } from 'vitest';
import { offsetZoneWithMidnightAt } from '../test-support/e2e-fixtures.ts';
import { type PeriodSpec, parsePeriod, periodWindow } from './period.ts';
import { offsetAt, startOfLocalDay } from './zoned.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const cal = (unit: string, tz: string) => parsePeriod(unit, tz) as PeriodSpec;

describe('calendar periods', () => {
  it('monthly in UTC: start, end, elapsed and remaining seconds are exact', () => {
    const w = periodWindow(cal('monthly', 'UTC'), at('2026-02-10T12:00:00.750Z'));
    expect(iso(w.start)).toBe('2026-02-01T00:00:00.000Z');
    expect(iso(w.end)).toBe('2026-03-01T00:00:00.000Z');
    expect(w.elapsedSeconds).toBe(9 * 86_400 + 12 * 3600);
    expect(w.remainingSeconds).toBe(18 * 86_400 + 12 * 3600);
  });

  it('knows month lengths, leap years included', () => {
    const feb2028 = periodWindow(cal('monthly', 'UTC'), at('2028-02-29T23:59:59Z'));
    expect((feb2028.end - feb2028.start) / 86_400_000).toBe(29);
    const feb2027 = periodWindow(cal('monthly', 'UTC'), at('2027-02-15T00:00:00Z'));
    expect((feb2027.end - feb2027.start) / 86_400_000).toBe(28);
    const apr = periodWindow(cal('monthly', 'UTC'), at('2026-04-30T10:00:00Z'));
    expect((apr.end - apr.start) / 86_400_000).toBe(30);
    const dec = periodWindow(cal('monthly', 'UTC'), at('2026-12-31T23:00:00Z'));
    expect(iso(dec.end)).toBe('2027-01-01T00:00:00.000Z');
  });

  it('monthly in a named zone starts at local midnight', () => {
    // Berlin is UTC+1 in January: the month starts 2025-12-31T23:00Z.
    const w = periodWindow(cal('monthly', 'Europe/Berlin'), at('2026-01-01T00:30:00Z'));
    expect(iso(w.start)).toBe('2025-12-31T23:00:00.000Z');
    expect(iso(w.end)).toBe('2026-01-31T23:00:00.000Z');
    // 23:30Z on Dec 31 is already January 1 in Berlin.
    const w2 = periodWindow(cal('monthly', 'Europe/Berlin'), at('2025-12-31T23:30:00Z'));
    expect(iso(w2.start)).toBe('2025-12-31T23:00:00.000Z');
    // ...but still December in New York.
    const ny = periodWindow(cal('monthly', 'America/New_York'), at('2026-01-01T03:00:00Z'));
    expect(iso(ny.start)).toBe('2025-12-01T05:00:00.000Z');
  });

  it('a month spanning a DST change is an hour shorter or longer, not a whole number of days', () => {
    const march = periodWindow(cal('monthly', 'Europe/Berlin'), at('2026-03-15T12:00:00Z'));
    expect(iso(march.start)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(march.end)).toBe('2026-03-31T22:00:00.000Z'); // CEST from March 29
    expect((march.end - march.start) / 3600_000).toBe(31 * 24 - 1);
    const oct = periodWindow(cal('monthly', 'Europe/Berlin'), at('2026-10-15T12:00:00Z'));
    expect((oct.end - oct.start) / 3600_000).toBe(31 * 24 + 1);
  });

  it('daily on DST days is 23 and 25 hours long', () => {
    const spring = periodWindow(cal('daily', 'America/New_York'), at('2026-03-08T12:00:00Z'));
    expect(iso(spring.start)).toBe('2026-03-08T05:00:00.000Z');
    expect((spring.end - spring.start) / 3600_000).toBe(23);
    const fall = periodWindow(cal('daily', 'America/New_York'), at('2026-11-01T12:00:00Z'));
    expect((fall.end - fall.start) / 3600_000).toBe(25);
  });

  it('a day whose midnight is skipped starts at the DST transition', () => {
    // America/Santiago springs forward at 24:00 on 2026-09-05: 2026-09-06 starts at 01:00 local.
    const start = startOfLocalDay(2026, 9, 6, 'America/Santiago');
    expect(iso(start)).toBe('2026-09-06T04:00:00.000Z');
    expect(offsetAt(start, 'America/Santiago')).toBe(-3 * 3600_000);
    const w = periodWindow(cal('daily', 'America/Santiago'), at('2026-09-06T10:00:00Z'));
    expect(iso(w.start)).toBe('2026-09-06T04:00:00.000Z');
    expect((w.end - w.start) / 3600_000).toBe(23);
  });

  it('weekly periods start on Monday in the zone', () => {
    // 2026-11-23 is a Monday. 02:00Z on Monday is still Sunday in Los Angeles.
    const utc = periodWindow(cal('weekly', 'UTC'), at('2026-11-25T15:00:00Z'));
    expect(iso(utc.start)).toBe('2026-11-23T00:00:00.000Z');
    expect(iso(utc.end)).toBe('2026-11-30T00:00:00.000Z');
    const la = periodWindow(cal('weekly', 'America/Los_Angeles'), at('2026-11-23T02:00:00Z'));
    expect(iso(la.start)).toBe('2026-11-16T08:00:00.000Z');
    // Week across a year boundary.
    const ny = periodWindow(cal('weekly', 'UTC'), at('2027-01-01T00:00:00Z'));
    expect(iso(ny.start)).toBe('2026-12-28T00:00:00.000Z');
  });

  it('quarterly and yearly', () => {
    const q = periodWindow(cal('quarterly', 'Asia/Tokyo'), at('2026-08-20T00:00:00Z'));
    expect(iso(q.start)).toBe('2026-06-30T15:00:00.000Z');
    expect(iso(q.end)).toBe('2026-09-30T15:00:00.000Z');
    const q4 = periodWindow(cal('quarterly', 'UTC'), at('2026-11-23T00:00:00Z'));
    expect(iso(q4.end)).toBe('2027-01-01T00:00:00.000Z');
    const y = periodWindow(cal('yearly', 'Asia/Kolkata'), at('2026-06-01T00:00:00Z'));
    expect(iso(y.start)).toBe('2025-12-31T18:30:00.000Z');
    expect(iso(y.end)).toBe('2026-12-31T18:30:00.000Z');
  });

  it('the period id changes exactly at rollover', () => {
    const spec = cal('daily', 'UTC');
    const before = periodWindow(spec, at('2026-11-23T23:59:59Z'));
    const after = periodWindow(spec, at('2026-11-24T00:00:00Z'));
    expect(before.id).not.toBe(after.id);
    expect(before.remainingSeconds).toBe(1);
    expect(after.elapsedSeconds).toBe(0);
  });
});

describe('rolling periods and parsing', () => {
  it('rolling-7d covers the last 7 days exactly', () => {
    const w = periodWindow(
      parsePeriod('rolling-7d', 'UTC') as PeriodSpec,
      at('2026-11-23T10:00:00Z'),
    );
    expect(w.elapsedSeconds).toBe(7 * 86_400);
    expect(iso(w.start)).toBe('2026-11-16T10:00:00.000Z');
    expect(w.remainingSeconds).toBe(0);
  });

  it('rejects unknown periods with a message listing the valid ones', () => {
    expect(parsePeriod('fortnightly', 'UTC')).toMatch(
      /expected one of daily, weekly.*got "fortnightly"/,
    );
    expect(parsePeriod('rolling-0d', 'UTC')).toMatch(/between 1h and 400d/);
  });
});

describe('fixed-offset zones (used by the end-to-end test to place a rollover)', () => {
  it('a daily period in the offset zone starts exactly at the chosen minute', () => {
    for (const iso of ['2026-11-23T14:39:00Z', '2026-11-23T00:00:00Z', '2026-11-23T23:59:00Z']) {
      const at = Date.parse(iso);
      const spec = parsePeriod('daily', offsetZoneWithMidnightAt(at)) as PeriodSpec;
      expect(periodWindow(spec, at + 1000).start).toBe(at);
      expect(periodWindow(spec, at - 1000).end).toBe(at);
    }
    expect(offsetZoneWithMidnightAt(Date.parse('2026-11-23T14:39:00Z'))).toBe('+09:21');
  });
});
