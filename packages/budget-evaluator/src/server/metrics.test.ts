// The budget gauges /metrics serves for one evaluation: the info metric (period, time zone,
// sources, enforcement) and the period end the dashboards read as a budget's reset date.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import type { BudgetResult } from '../query/evaluate.ts';
import { periodWindow } from '../time/period.ts';
import { EvaluatorMetrics } from './metrics.ts';

const CONFIG = `budgets:
  - name: search-monthly
    selector: { team: search, environment: production }
    period: monthly
    timezone: Europe/Berlin
    limit_usd: 200
    sources: [vectordb, llm]
    enforcement: { mode: degrade, degrade_at: 0.8 }
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
  - name: company-rolling
    period: rolling-7d
    limit_usd: 1000
    thresholds: [{ at: 90%, kind: forecast, severity: warning }]
`;
const NOW = Date.parse('2026-11-24T10:00:00Z');

function results(): BudgetResult[] {
  return parseConfig(CONFIG, 'budgets.yaml').budgets.map((budget) => ({
    budget,
    window: periodWindow(budget.period, NOW),
    spent: 50,
    forecast: 120,
    forecastLow: 100,
    forecastHigh: 140,
    ratePerSecond: 0.001,
    matchedSeries: 1,
    invalid: false,
  }));
}

async function exposition(): Promise<string[]> {
  const m = new EvaluatorMetrics();
  m.setBudgets(results(), () => false);
  return (await m.registry.metrics()).split('\n');
}

describe('EvaluatorMetrics budget info', () => {
  it('exports each budget’s period, time zone, sources and enforcement as labels', async () => {
    const lines = (await exposition()).filter((l) => l.startsWith('burnrate_budget_info{'));
    expect(lines).toEqual([
      'burnrate_budget_info{budget="search-monthly",environment="production",team="search",period="monthly",timezone="Europe/Berlin",sources="llm,vectordb",enforcement="degrade"} 1',
      'burnrate_budget_info{budget="company-rolling",period="rolling-7d",sources="llm,vectordb",enforcement="record"} 1',
    ]);
  });

  it('exports the end of a calendar period (the reset), none for a rolling window', async () => {
    const lines = (await exposition()).filter((l) =>
      l.startsWith('burnrate_budget_period_end_timestamp_seconds{'),
    );
    // December 1st, 00:00 in Berlin (UTC+1).
    const end = Date.parse('2026-11-30T23:00:00Z') / 1000;
    expect(lines).toEqual([
      `burnrate_budget_period_end_timestamp_seconds{budget="search-monthly",environment="production",team="search"} ${end}`,
    ]);
  });

  it('drops a budget removed from the configuration at the next evaluation', async () => {
    const m = new EvaluatorMetrics();
    m.setBudgets(results(), () => false);
    m.setBudgets(results().slice(1), () => false);
    const text = await m.registry.metrics();
    expect(text).not.toContain('budget="search-monthly"');
    expect(text).toContain('burnrate_budget_info{budget="company-rolling"');
  });
});
