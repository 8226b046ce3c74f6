// The anomaly row of the spend overview: spend rate against the same time last week (what
// BurnrateSpendRateAnomaly compares) and Burnrate's firing Prometheus alerts.
import type { Section } from './dashboard.ts';
import { tablePanel, timeseriesPanel } from './panels.ts';
import { burnrateAlerts, llmCost, plus, vectorCost } from './promql.ts';

const usd = 'currencyUSD';

/** LLM plus vector spend per hour, `offset` back (e.g. `1w`) or now. */
function spendPerHour(offset?: string): string {
  const off = offset ? ` offset ${offset}` : '';
  const perHour = (selector: string): string =>
    `sum(rate(${selector}[$__rate_interval]${off})) * 3600`;
  return plus(perHour(llmCost), perHour(vectorCost));
}

export function anomalies(): Section {
  return {
    row: 'Anomalies',
    panels: [
      timeseriesPanel({
        title: 'Spend rate against the same time last week ($/hour)',
        description:
          'LLM plus vector-database spend per hour now and at the same time a week earlier (offset 1w), filtered by the variables. BurnrateSpendRateAnomaly fires when a team and environment spend more than 2x (warning) or 4x (critical) the same hour last week, at least $1/h: see the alerts beside and the red annotations.',
        unit: usd,
        axisLabel: '$ per hour',
        w: 12,
        queries: [
          { expr: spendPerHour(), legend: 'now' },
          { expr: spendPerHour('1w'), legend: 'same time last week' },
        ],
      }),
      tablePanel({
        title: 'Firing Burnrate alerts',
        description:
          'Burnrate\'s Prometheus-rule alerts firing now (ALERTS{alertname=~"Burnrate.*"}): spend-rate anomalies (BurnrateSpendRateAnomaly), cost per call up against last week (BurnrateCostPerRequestUp) and pipeline health (Collector, evaluator, telemetry), with their labels. The variables do not filter it. Budget thresholds go from the budget evaluator to Alertmanager directly: the Budgets dashboard shows them.',
        w: 12,
        queries: [{ expr: burnrateAlerts }],
        hide: ['__name__', 'alertstate', 'Value'],
        columns: [],
        sortBy: 'alertname',
        ascending: true,
      }),
    ],
  };
}
