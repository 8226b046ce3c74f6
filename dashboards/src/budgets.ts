// Budgets: every budget's utilisation, spend against limit and forecast, burn rate, time left and
// the budget alerts firing now, all from the budget evaluator's gauges.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import {
  barGaugePanel,
  limitThresholds,
  statPanel,
  tablePanel,
  timeseriesPanel,
} from './panels.ts';
import { m, ratio, sel } from './promql.ts';

const usd = 'currencyUSD';
const filterNote =
  'The variables pick budgets by their selector labels: a budget that does not select on a label (say, no team) covers all of its values and stays shown.';

const gauge = (metric: string): string => `max by (budget) (${sel(metric, 'budget')})`;
const limit = gauge(m.budgetLimit);
const spend = gauge(m.budgetSpend);
const forecast = gauge(m.budgetForecast);
const utilization = gauge(m.budgetUtilization);
/** Dollars per second the budget's spend grows by over the last hour (0 after a period reset). */
const burnSpeed = `clamp_min(max by (budget) (deriv(${sel(m.budgetSpend, 'budget')}[1h])), 0)`;
const firing = `${sel(m.budgetAlert, 'alert')} == 1`;

export function budgets(): Dashboard {
  return buildDashboard({
    uid: 'burnrate-budgets',
    title: 'Burnrate / Budgets',
    description:
      "Each budget from budgets.yaml: how much of its limit is spent, where the period is heading, how fast it burns, and which budget alerts are firing (budget evaluator's gauges).",
    from: 'now-7d',
    withBudget: true,
    sections: [
      {
        row: 'Now',
        panels: [
          statPanel({
            title: 'Budget alerts firing',
            description:
              'Budget thresholds firing now (burnrate_budget_alert_firing == 1), across the selected budgets. The alert gauge carries only budget, threshold, kind and severity: the other variables do not filter it.',
            unit: 'short',
            decimals: 0,
            w: 6,
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `count(${firing}) or vector(0)` }],
          }),
          statPanel({
            title: 'Budgets over limit',
            description: `Budgets whose spend this period has reached their limit (utilisation ≥ 100 %). ${filterNote}`,
            unit: 'short',
            decimals: 0,
            w: 6,
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `count(${utilization} >= 1) or vector(0)` }],
          }),
          statPanel({
            title: 'Total limit of selected budgets',
            description: `Sum of the selected budgets' limits this period. Budgets can overlap (a team budget inside an environment budget), so this is not a company total. ${filterNote}`,
            unit: usd,
            decimals: 2,
            w: 6,
            queries: [{ expr: `sum(${limit})` }],
          }),
          statPanel({
            title: 'Total spend of selected budgets',
            description: `Sum of the selected budgets' spend this period, as the budget evaluator measures it. Overlapping budgets count shared spend more than once. ${filterNote}`,
            unit: usd,
            decimals: 2,
            w: 6,
            queries: [{ expr: `sum(${spend})` }],
          }),
        ],
      },
      {
        row: 'Every budget',
        panels: [
          barGaugePanel({
            title: 'Utilisation',
            description: `Spend this period as a share of each budget's limit (burnrate_budget_utilization_ratio). Amber from 80 %, red at 100 %. ${filterNote}`,
            unit: 'percentunit',
            w: 8,
            h: 9,
            max: 1,
            thresholds: limitThresholds,
            queries: [{ expr: utilization, legend: '{{budget}}' }],
          }),
          tablePanel({
            title: 'Budgets',
            description: `Per budget: limit, spend and forecast for the current period, forecast as a share of the limit (the burn rate: above 100 % the budget runs out before the period ends), spend speed over the last hour and the time left at that speed. ${filterNote}`,
            w: 16,
            h: 9,
            queries: [
              { expr: limit },
              { expr: spend },
              { expr: forecast },
              { expr: utilization },
              { expr: ratio(forecast, limit) },
              { expr: `${burnSpeed} * 3600` },
              { expr: `clamp_min(${limit} - ${spend}, 0) / (${burnSpeed} > 0)` },
            ],
            columns: [
              { refId: 'A', name: 'Limit', unit: usd, decimals: 2 },
              { refId: 'B', name: 'Spend', unit: usd, decimals: 2 },
              { refId: 'C', name: 'Forecast', unit: usd, decimals: 2 },
              { refId: 'D', name: 'Utilisation', unit: 'percentunit', decimals: 1 },
              {
                refId: 'E',
                name: 'Burn rate (forecast ÷ limit)',
                unit: 'percentunit',
                decimals: 1,
              },
              { refId: 'F', name: 'Spend speed ($/hour)', unit: usd, decimals: 2 },
              { refId: 'G', name: 'Time left at this speed', unit: 'dtdurations' },
            ],
            sortBy: 'Utilisation',
          }),
        ],
      },
      {
        row: 'Over time',
        panels: [
          timeseriesPanel({
            title: 'Spend against limit and forecast',
            description: `Each budget's spend this period, its limit and the evaluator's forecast for the period's end. Spend restarts at 0 when a calendar period begins. ${filterNote}`,
            unit: usd,
            w: 12,
            queries: [
              { expr: spend, legend: '{{budget}} spend' },
              { expr: limit, legend: '{{budget}} limit' },
              { expr: forecast, legend: '{{budget}} forecast' },
            ],
          }),
          timeseriesPanel({
            title: 'Burn rate (forecast ÷ limit)',
            description: `Forecast spend at the period's end as a share of the limit: 100 % means exactly on budget, above it the budget runs out early. ${filterNote}`,
            unit: 'percentunit',
            w: 12,
            min: 0,
            thresholds: limitThresholds,
            queries: [{ expr: ratio(forecast, limit), legend: '{{budget}}' }],
          }),
          timeseriesPanel({
            title: 'Utilisation over time',
            description: `Spend as a share of the limit over time, per budget. ${filterNote}`,
            unit: 'percentunit',
            w: 12,
            min: 0,
            thresholds: limitThresholds,
            queries: [{ expr: utilization, legend: '{{budget}}' }],
          }),
          tablePanel({
            title: 'Active budget alerts',
            description:
              'Every budget threshold firing now: budget, threshold, kind (actual or forecast spend) and severity, from burnrate_budget_alert_firing. Alertmanager routes the notifications.',
            w: 12,
            queries: [{ expr: `max by (budget, threshold, kind, severity) (${firing})` }],
            columns: [{ refId: 'A', name: 'Firing', unit: 'bool_yes_no' }],
            sortBy: 'budget',
            ascending: true,
          }),
        ],
      },
    ],
  });
}
