import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule, type Schedule } from './schedule.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const parse = (text: string): Schedule => {
  const s = parseSchedule(text);
  if (typeof s === 'string') throw new Error(s);
  return s;
};

describe('parseSchedule', () => {
  it('reads days, ranges, lists and times', () => {
    expect(parse('Mon 09:00')).toMatchObject({ weekdays: [1], times: [540] });
    expect(parse('mon,Thu 8:30')).toMatchObject({ weekdays: [1, 4], times: [510] });
    expect(parse('Fri-Mon 07:00 19:15')).toMatchObject({
      weekdays: [1, 5, 6, 7],
      times: [420, 1155],
    });
    expect(parse('daily 18:00').weekdays).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(parse('Monday 09:00').weekdays).toEqual([1]);
  });

  it('rejects what it cannot read', () => {
    for (const bad of ['', 'Mon', '09:00', 'Mon 25:00', 'Mon 9', 'Mondays 09:00', 'Xyz 09:00']) {
      expect(parseSchedule(bad)).toMatch(/expected "<days> HH:MM"/);
    }
  });
});

describe('nextRun across daylight-saving changes (Europe/Berlin)', () => {
  const zone = 'Europe/Berlin';

  it('keeps Monday 09:00 local when the offset changes', () => {
    const s = parse('Mon 09:00');
    const runs = [Date.UTC(2026, 2, 20)];
    for (let i = 0; i < 3; i++) runs.push(nextRun(s, zone, runs[runs.length - 1]));
    expect(runs.slice(1).map(iso)).toEqual([
      '2026-03-23T08:00:00.000Z', // CET, UTC+1
      '2026-03-30T07:00:00.000Z', // CEST, UTC+2 (clocks went forward on the 29th)
      '2026-04-06T07:00:00.000Z',
    ]);
    expect(iso(nextRun(s, zone, Date.UTC(2026, 9, 24)))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('runs a time inside the spring gap at the end of the gap, once', () => {
    const s = parse('Sun 02:30');
    const first = nextRun(s, zone, Date.UTC(2026, 2, 28));
    expect(iso(first)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(iso(nextRun(s, zone, first))).toBe('2026-04-05T00:30:00.000Z');
  });

  it('runs a repeated autumn time once, at its first occurrence', () => {
    const s = parse('Sun 02:30');
    const first = nextRun(s, zone, Date.UTC(2026, 9, 24));
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(iso(nextRun(s, zone, first))).toBe('2026-11-01T01:30:00.000Z'); // not 01:30Z on the 25th
  });

  it('is strictly after the given instant, on the same day when still ahead', () => {
    const s = parse('daily 09:00 17:00');
    const at9 = Date.UTC(2026, 0, 5, 8); // 09:00 CET
    expect(iso(nextRun(s, zone, at9 - 1))).toBe('2026-01-05T08:00:00.000Z');
    expect(iso(nextRun(s, zone, at9))).toBe('2026-01-05T16:00:00.000Z');
  });
});
