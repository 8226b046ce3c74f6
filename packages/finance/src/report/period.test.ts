import { describe, expect, it } from 'vitest';
import { localDays, PeriodError, resolvePeriod } from './period.ts';

const NOW = Date.parse('2025-05-20T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('report periods', () => {
  it('a month in a time zone, complete', () => {
    const p = resolvePeriod({ period: '2025-02', timeZone: 'Europe/Berlin', now: NOW });
    expect([iso(p.start), iso(p.end), p.complete, p.label]).toEqual([
      '2025-01-31T23:00:00.000Z',
      '2025-02-28T23:00:00.000Z',
      true,
      '2025-02',
    ]);
  });

  it('a quarter across a DST change; quarter labels', () => {
    const p = resolvePeriod({ period: '2025-q1', timeZone: 'America/New_York', now: NOW });
    expect([iso(p.start), iso(p.end), p.label]).toEqual([
      '2025-01-01T05:00:00.000Z',
      '2025-04-01T04:00:00.000Z',
      '2025-Q1',
    ]);
    expect(resolvePeriod({ period: 'last-quarter', timeZone: 'UTC', now: NOW }).label).toBe(
      '2025-Q1',
    );
  });

  it('the current month and quarter run to now', () => {
    const m = resolvePeriod({ period: 'month', timeZone: 'UTC', now: NOW });
    expect([iso(m.start), iso(m.end), iso(m.periodEnd), m.complete, m.label]).toEqual([
      '2025-05-01T00:00:00.000Z',
      '2025-05-20T10:00:00.000Z',
      '2025-06-01T00:00:00.000Z',
      false,
      '2025-05',
    ]);
    expect(resolvePeriod({ timeZone: 'UTC', now: NOW }).label).toBe('2025-05');
    expect(resolvePeriod({ period: 'last-month', timeZone: 'UTC', now: NOW }).label).toBe(
      '2025-04',
    );
    expect(iso(resolvePeriod({ period: 'quarter', timeZone: 'UTC', now: NOW }).start)).toBe(
      '2025-04-01T00:00:00.000Z',
    );
  });

  it('a custom range: local dates or timestamps, end exclusive', () => {
    const p = resolvePeriod({
      from: '2025-03-01',
      to: '2025-03-31T12:00:00Z',
      timeZone: 'Asia/Kolkata',
      now: NOW,
    });
    expect([iso(p.start), iso(p.end)]).toEqual([
      '2025-02-28T18:30:00.000Z',
      '2025-03-31T12:00:00.000Z',
    ]);
    expect(localDays(p.start, p.end, 'Asia/Kolkata')).toHaveLength(31);
  });

  it('zones far east and west find the right local date', () => {
    const east = resolvePeriod({
      from: '2025-03-01',
      to: '2025-03-02',
      timeZone: 'Pacific/Kiritimati',
      now: NOW,
    });
    expect(iso(east.start)).toBe('2025-02-28T10:00:00.000Z');
    const west = resolvePeriod({
      from: '2025-03-01',
      to: '2025-03-02',
      timeZone: 'Etc/GMT+12',
      now: NOW,
    });
    expect(iso(west.start)).toBe('2025-03-01T12:00:00.000Z');
  });

  it('days follow DST (a 23-hour day)', () => {
    const p = resolvePeriod({
      from: '2025-03-29',
      to: '2025-04-01',
      timeZone: 'Europe/Berlin',
      now: NOW,
    });
    expect(localDays(p.start, p.end, 'Europe/Berlin').map(([a, b]) => (b - a) / 3600_000)).toEqual([
      24, 23, 24,
    ]);
  });

  it('one clear error for bad input', () => {
    const bad = (args: Partial<Parameters<typeof resolvePeriod>[0]>) => () =>
      resolvePeriod({ timeZone: 'UTC', now: NOW, ...args });
    expect(bad({ period: '2025-13' })).toThrow(/--period: expected month, quarter/);
    expect(bad({ period: 'month', from: '2025-01-01' })).toThrow(/either --period or --from/);
    expect(bad({ from: '2025-01-01' })).toThrow(/go together/);
    expect(bad({ from: '2025-02-30', to: '2025-03-01' })).toThrow(/no such date/);
    expect(bad({ from: '2025-03-01', to: '2025-02-01' })).toThrow(/after --from/);
    expect(bad({ from: '2025-03-01 00:00', to: '2025-04-01' })).toThrow(/--from: expected a date/);
    expect(bad({ period: '2026-01' })).toThrow(/has not started/);
    expect(bad({ timeZone: 'Mars/Olympus' })).toThrow(PeriodError);
  });
});
