import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import type { BudgetResult } from '../query/evaluate.ts';
import { periodWindow } from '../time/period.ts';
import { AlertTracker, DATA_MISSING_ALERT } from './tracker.ts';

const cfg = parseConfig(
  `budgets:
  - name: search
    selector: { team: search, environment: production, model: { regex: 'gpt-.*' } }
    period: monthly
    limit_usd: 100
    thresholds:
      - { at: 50%, kind: actual, severity: info }
      - { at: 70%, kind: forecast, severity: warning }
      - { at: 100%, kind: actual, severity: critical }
`,
  'budgets.yaml',
);
const budget = cfg.budgets[0];
const T0 = Date.parse('2026-11-20T12:00:00Z');

function result(now: number, spent: number, forecast: number): BudgetResult {
  return {
    budget,
    window: periodWindow(budget.period, now),
    spent,
    forecast,
    forecastLow: spent,
    forecastHigh: forecast,
    ratePerSecond: 0,
    matchedSeries: 1,
    invalid: false,
  };
}

const names = (alerts: { labels: Record<string, string> }[]) =>
  alerts.map((a) => `${a.labels.kind}:${a.labels.threshold}`).sort();
type P = { labels: Record<string, string>; endsAt: string };
const firing = (alerts: P[], now: number) => alerts.filter((a) => Date.parse(a.endsAt) > now);
const resolved = (alerts: P[], now: number) => alerts.filter((a) => Date.parse(a.endsAt) <= now);

describe('alert state machine', () => {
  it('fires each threshold with the contract labels and the numbers a person needs', () => {
    const t = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    expect(t.update([result(T0, 40, 60)], T0, null)).toEqual([]);
    const out = t.update([result(T0 + 30_000, 55, 80)], T0 + 30_000, 'http://g/d?b={budget}');
    expect(names(out)).toEqual(['actual:0.5', 'forecast:0.7']);
    const a = out.find((x) => x.labels.kind === 'actual')!;
    expect(a.labels).toEqual({
      alertname: 'BurnrateBudgetThreshold',
      budget: 'search',
      severity: 'info',
      threshold: '0.5',
      kind: 'actual',
      team: 'search',
      environment: 'production',
    });
    expect(a.annotations.spent_usd).toBe('55');
    expect(a.annotations.limit_usd).toBe('100');
    expect(a.annotations.forecast_usd).toBe('80');
    expect(a.annotations.period_end).toBe('2026-12-01T00:00:00.000Z');
    expect(a.annotations.dashboard).toBe('http://g/d?b=search');
    expect(a.annotations.summary).toBe(
      'Budget search: actual spend $55.00 is 55% of the $100.00 monthly (UTC) limit (threshold 50% actual)',
    );
    expect(a.startsAt).toBe(new Date(T0 + 30_000).toISOString());
    expect(a.endsAt).toBe(new Date(T0 + 30_000 + 4 * 30_000).toISOString());
  });

  it('re-sends while active with the first startsAt and a moving endsAt', () => {
    const t = new AlertTracker({ resendIntervals: 3, intervalMs: 10_000 });
    t.update([result(T0, 60, 60)], T0, null);
    const again = t.update([result(T0 + 10_000, 65, 65)], T0 + 10_000, null);
    expect(names(again)).toEqual(['actual:0.5']);
    expect(again[0].startsAt).toBe(new Date(T0).toISOString());
    expect(again[0].endsAt).toBe(new Date(T0 + 40_000).toISOString());
    expect(again[0].annotations.spent_usd).toBe('65');
  });

  it('resolves at period reset, and a forecast when it falls back under', () => {
    const t = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    t.update([result(T0, 101, 150)], T0, null);
    const dropF = t.update([result(T0 + 1, 101, 101)], T0 + 1, null);
    expect(firing(dropF, T0 + 1).length).toBe(3); // forecast = spent 101 is still >= 70
    const reset = Date.parse('2026-12-01T00:00:05Z');
    const out = t.update([result(reset, 0.2, 10)], reset, null);
    expect(names(resolved(out, reset))).toEqual(['actual:0.5', 'actual:1', 'forecast:0.7']);
    expect(firing(out, reset)).toEqual([]);
    expect(t.update([result(reset + 1, 0.3, 10)], reset + 1, null)).toEqual([]);
  });

  it('a forecast alert resolves only after 3 cycles back under within a period (no flapping)', () => {
    const t = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    const fc = (x: P[]) => x.filter((a) => a.labels.kind === 'forecast');
    t.update([result(T0, 10, 90)], T0, null); // fires
    expect(fc(firing(t.update([result(T0 + 1, 10, 60)], T0 + 1, null), T0 + 1)).length).toBe(1);
    expect(fc(firing(t.update([result(T0 + 2, 10, 95)], T0 + 2, null), T0 + 2)).length).toBe(1);
    // Back under: held for two cycles, resolved on the third.
    for (const [i, held] of [
      [3, true],
      [4, true],
      [5, false],
    ] as const) {
      const out = fc(t.update([result(T0 + i, 10, 60)], T0 + i, null));
      expect(firing(out, T0 + i).length).toBe(held ? 1 : 0);
      expect(resolved(out, T0 + i).length).toBe(held ? 0 : 1);
    }
    expect(t.isFiring('search', budget.thresholds[1])).toBe(false);
  });

  it('never resolves on missing data; a data-missing alert fires, then resolves when data is back', () => {
    const t = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    t.update([result(T0, 120, 150)], T0, null);
    const m1 = t.missing(T0 + 30_000, 'Prometheus unreachable');
    expect(resolved(m1, T0 + 30_000)).toEqual([]);
    expect(m1.filter((a) => a.labels.alertname === 'BurnrateBudgetThreshold').length).toBe(3);
    const dm = m1.find((a) => a.labels.alertname === DATA_MISSING_ALERT)!;
    expect(dm.labels).toEqual({ alertname: DATA_MISSING_ALERT, severity: 'critical' });
    expect(dm.annotations.summary).toMatch(/Prometheus unreachable/);
    const m2 = t.missing(T0 + 60_000, 'Prometheus unreachable');
    expect(m2.find((a) => a.labels.alertname === DATA_MISSING_ALERT)!.startsAt).toBe(
      new Date(T0 + 30_000).toISOString(),
    );
    expect(t.dataMissing).toBe(true);
    const back = t.update([result(T0 + 90_000, 120, 150)], T0 + 90_000, null);
    const dmBack = back.find((a) => a.labels.alertname === DATA_MISSING_ALERT)!;
    expect(Date.parse(dmBack.endsAt)).toBe(T0 + 90_000);
    expect(firing(back, T0 + 90_000).length).toBe(3);
    expect(t.dataMissing).toBe(false);
  });

  it('resolves the alerts of a budget removed from the config', () => {
    const t = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    t.update([result(T0, 60, 60)], T0, null);
    expect(t.isFiring('search', budget.thresholds[0])).toBe(true);
    const out = t.update([], T0 + 1, null);
    expect(names(resolved(out, T0 + 1))).toEqual(['actual:0.5']);
    expect(t.isFiring('search', budget.thresholds[0])).toBe(false);
  });

  it('two replicas produce identical label sets for the same state', () => {
    const a = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    const b = new AlertTracker({ resendIntervals: 4, intervalMs: 30_000 });
    const la = a.update([result(T0, 60, 90)], T0, null).map((x) => x.labels);
    const lb = b.update([result(T0 + 700, 60.5, 91)], T0 + 700, null).map((x) => x.labels);
    expect(la).toEqual(lb);
  });
});
