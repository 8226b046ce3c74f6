// The backtest's error bounds: a worse model (or a broken band) fails these.
import { describe, expect, it } from 'vitest';
import { type BacktestRow, formatTable, runBacktest } from './backtest.ts';

// history → horizon → [max MAPE, min coverage of the 90 % band]
const BOUNDS: Record<string, Record<string, [number, number]>> = {
  steady: { next_7_days: [0.02, 0.85], month_end: [0.025, 0.8], quarter_end: [0.02, 0.85] },
  weekly: { next_7_days: [0.025, 0.85], month_end: [0.025, 0.8], quarter_end: [0.02, 0.85] },
  step: { next_7_days: [0.035, 0.85], month_end: [0.035, 0.8], quarter_end: [0.035, 0.8] },
  growth: { next_7_days: [0.035, 0.75], month_end: [0.04, 0.75], quarter_end: [0.05, 0.8] },
};

describe('forecast backtest on synthetic histories', () => {
  const rows: BacktestRow[] = runBacktest({ everyDays: 4 });

  it('covers every history and horizon', () => {
    expect(rows).toHaveLength(12);
    expect(formatTable(rows).split('\n')).toHaveLength(14);
  });

  for (const [history, horizons] of Object.entries(BOUNDS)) {
    for (const [horizon, [maxMape, minCoverage]] of Object.entries(horizons)) {
      it(`${history}, ${horizon}: MAPE < ${maxMape * 100} %, truth in band ≥ ${minCoverage * 100} %`, () => {
        const row = rows.find((r) => r.history === history && r.horizon === horizon)!;
        expect(row.mape).toBeLessThan(maxMape);
        expect(row.coverage).toBeGreaterThanOrEqual(minCoverage);
      });
    }
  }

  it('beats the naive "last week\'s rate" forecast where there is a pattern or a trend', () => {
    for (const r of rows.filter((x) => x.history === 'weekly' || x.history === 'growth')) {
      expect(r.mape, `${r.history} ${r.horizon}`).toBeLessThan(r.naiveMape);
    }
  });
});
