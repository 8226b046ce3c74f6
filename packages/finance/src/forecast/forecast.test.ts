import { calendarPeriod, zonedInstant } from '@burnrate/budget-evaluator';
import { describe, expect, it } from 'vitest';
import { rollingForecast, type SpendPoint } from './forecast.ts';
import { expectedDaily, toHourly } from './synthetic.ts';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

function noiseFree(kind: 'steady' | 'weekly', days: number): SpendPoint[] {
  return toHourly(
    Array.from({ length: days }, (_, i) => expectedDaily(kind, START, i)),
    START,
  );
}

describe('rollingForecast', () => {
  it('says it cannot forecast with less than two weeks of history (not a zero)', () => {
    const now = START + 13 * DAY + 5 * 3_600_000;
    const r = rollingForecast(noiseFree('steady', 14), { now, timeZone: 'UTC' });
    expect(r).toMatchObject({
      ok: false,
      reason: 'insufficient_history',
      historyDays: 13,
      requiredDays: 14,
    });
    expect(rollingForecast([], { now, timeZone: 'UTC' })).toMatchObject({
      ok: false,
      historyDays: 0,
    });
  });

  it('does not count a day the history starts in the middle of', () => {
    const points = noiseFree('steady', 20).filter((p) => p.t >= START + 6 * DAY + 12 * 3_600_000);
    const r = rollingForecast(points, { now: START + 20 * DAY, timeZone: 'UTC' });
    expect(r).toMatchObject({ ok: false, historyDays: 13 });
  });

  it('forecasts a noise-free weekly pattern exactly, partial days included', () => {
    const now = START + 70 * DAY + 13 * 3_600_000; // 2025-03-12 13:00 UTC, a Wednesday
    const points = noiseFree('weekly', 71).filter((p) => p.t < now);
    const r = rollingForecast(points, { now, timeZone: 'UTC' });
    if (!r.ok) throw new Error(r.message);
    const truth = (from: number, to: number) => {
      let s = 0;
      for (let t = from; t < to; t += 3_600_000)
        s += expectedDaily('weekly', START, Math.floor((t - START) / DAY)) / 24;
      return s;
    };
    for (const h of r.horizons) {
      expect(h.remaining.expected).toBeCloseTo(truth(now, h.end), 0);
      expect(h.remaining.low).toBeLessThanOrEqual(h.remaining.expected);
      expect(h.remaining.high).toBeGreaterThanOrEqual(h.remaining.expected);
    }
    const month = r.horizons.find((h) => h.horizon === 'month_end')!;
    expect(month.end).toBe(Date.UTC(2025, 3, 1));
    expect(month.spentUsd).toBeCloseTo(truth(Date.UTC(2025, 2, 1), now), 6);
    expect(month.total.expected).toBeCloseTo(truth(Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 1)), 0);
    const quarter = r.horizons.find((h) => h.horizon === 'quarter_end')!;
    expect(quarter).toMatchObject({ periodStart: Date.UTC(2025, 0, 1), spentComplete: true });
  });

  it('ends months and quarters at local midnight in the budget zone', () => {
    const now = Date.UTC(2025, 2, 20, 12); // 2025-03-20
    const points = noiseFree('steady', 90).filter((p) => p.t < now);
    const r = rollingForecast(points, { now, timeZone: 'Europe/Berlin' });
    if (!r.ok) throw new Error(r.message);
    const [week, month, quarter] = r.horizons;
    expect(week.end - now).toBe(7 * DAY);
    // March ends at 2025-04-01 00:00 CEST (UTC+2, after the 30 March change) = 31 Mar 22:00 UTC.
    expect(new Date(month.end).toISOString()).toBe('2025-03-31T22:00:00.000Z');
    expect(quarter.end).toBe(month.end);
    expect(new Date(month.periodStart).toISOString()).toBe('2025-02-28T23:00:00.000Z');
    // 11 days 11 hours left of a $100/day history (the 23-hour day counts as one day).
    expect(month.remaining.expected).toBeGreaterThan(1100);
    expect(month.remaining.expected).toBeLessThan(1160);
    const ny = rollingForecast(points, { now, timeZone: 'America/New_York' });
    if (!ny.ok) throw new Error(ny.message);
    expect(new Date(ny.horizons[2].end).toISOString()).toBe('2025-04-01T04:00:00.000Z');
  });

  it('is reproducible', () => {
    const now = START + 60 * DAY;
    const points = noiseFree('weekly', 60);
    expect(rollingForecast(points, { now, timeZone: 'UTC' })).toEqual(
      rollingForecast(points, { now, timeZone: 'UTC' }),
    );
  });
});

describe('zoned time', () => {
  it('maps skipped wall times to the end of the gap and repeated ones to the first', () => {
    // Europe/Berlin: 2026-03-29 02:00 → 03:00; 2026-10-25 03:00 → 02:00.
    expect(new Date(zonedInstant(2026, 3, 29, 2, 30, 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(new Date(zonedInstant(2026, 10, 25, 2, 30, 'Europe/Berlin')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(new Date(zonedInstant(2026, 1, 31 + 1, 0, 0, 'UTC')).toISOString()).toBe(
      '2026-02-01T00:00:00.000Z',
    );
  });

  it('finds quarters in a zone', () => {
    const q = calendarPeriod(Date.UTC(2026, 11, 31, 23, 30), 'quarter', 'Asia/Tokyo');
    expect(new Date(q.start).toISOString()).toBe('2026-12-31T15:00:00.000Z'); // Q1 2027 in Tokyo
  });
});
