import { describe, expect, it } from 'vitest';
import { locateQuery, resetGrid, seriesDrops, seriesKey } from './resets.ts';

const H = 3_600_000;

describe('counter reset helpers (shared by the evaluator and the finance report)', () => {
  it('lays a grid of about 1,000 whole-minute windows over the period', () => {
    const start = Date.UTC(2026, 11, 1);
    const end = start + 30 * 24 * H; // 30 days
    const g = resetGrid(start, end);
    expect(g.delta).toBe(44 * 60_000); // 2,592,000 s / 1,000 = 2,592 s = 43.2 min -> 44 min
    expect(g.floor).toBe(start - H);
    expect(g.first).toBeGreaterThan(start);
    expect(g.first - g.delta).toBeLessThanOrEqual(start);
    expect(g.last).toBeLessThan(end);
    expect(g.last + g.delta).toBeGreaterThanOrEqual(end);
    expect(g.lookback).toBe(end - g.floor);
    expect(resetGrid(start, start + 10_000).delta).toBe(60_000); // never under a minute
  });

  it('finds every drop in the window and the period, comparing the first sample with the one before', () => {
    const s = (t: number) => t / 1000; // samples carry unix seconds
    const g = { floor: 0, after: 10_000, periodStart: 5_000, end: 60_000 };
    const values: [number, number][] = [
      [s(2_000), 9], // before the floor? no (floor 0) but before the window: read, never a drop
      [s(10_000), 3], // at the window's start: not in (after, end]
      [s(20_000), 7],
      [s(30_000), 1.25], // drop: 7 was counted before the restart
      [s(40_000), 2],
      [s(50_000), 0.5], // drop: 2
      [s(70_000), 0], // after the end: not counted
    ];
    expect(seriesDrops(values, undefined, g)).toEqual([
      { time: 30_000, value: 7 },
      { time: 50_000, value: 2 },
    ]);
    // The value before the window makes the first sample a drop when it is lower.
    expect(seriesDrops([[s(20_000), 1]], 4.5, g)).toEqual([{ time: 20_000, value: 4.5 }]);
    // Samples older than the floor are not read (a series that expired and came back).
    expect(
      seriesDrops(
        [
          [s(1_000), 100],
          [s(20_000), 1],
        ],
        undefined,
        { ...g, floor: 5_000 },
      ),
    ).toEqual([]);
    // Not before the period's start, even inside the window.
    expect(seriesDrops([[s(20_000), 1]], 4.5, { ...g, periodStart: 25_000 })).toEqual([]);
  });

  it('names a series without its metric name and locates windows with a lower value', () => {
    expect(seriesKey({ __name__: 'm', b: '2', a: '1' })).toBe(seriesKey({ a: '1', b: '2' }));
    expect(seriesKey({ a: '1' })).not.toBe(seriesKey({ a: '2' }));
    expect(locateQuery('m', 60_000, 7_200_000)).toBe(
      'resets(m[60000ms]) > 0 or min_over_time(m[60000ms]) < last_over_time(m[7200000ms] offset 60000ms)',
    );
  });
});
