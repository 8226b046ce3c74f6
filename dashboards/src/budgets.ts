// Budgets: every budget's utilisation, spend against limit and forecast, burn rate, time left
// before its reset, its period and sources, the budget alerts firing now and the evaluator's
// health, all from the budget evaluator's gauges.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { evaluatorHealth } from './evaluator-health.ts';
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
/** The budget's calendar period end (its reset), Unix seconds; none for rolling windows. */
const periodEnd = gauge(m.budgetPeriodEnd);
const infoLabels = ['period', 'timezone', 'sources', 'enforcement'];
const info = `max by (budget, ${infoLabels.join(', ')}) (${sel(m.budgetInfo, 'budget')})`;
/** Dollars per second the budget's spend grows by over the last hour (0 after a period reset). */
const burnSpeed = `clamp_min(max by (budget) (deriv(${sel(m.budgetSpend, 'budget')}[1h])), 0)`;
const toLimit = `clamp_min(${limit} - ${spend}, 0) / (${burnSpeed} > 0)`;
const toReset = `(${periodEnd} - time())`;
/** Time to the limit at this speed, only when that comes before the period resets. */
const runsOut = `(${toLimit} < on (budget) ${toReset}) or (${toLimit} unless on (budget) ${toReset})`;
const firing = `${sel(m.budgetAlert, 'alert')} == 1`;
/** 0 while the evaluator serves its gauges; nothing (not a green 0) when it is down. */
const evaluatorZero = `on () (0 * max(${m.evaluatorConfigured}))`;
/** A per-period sum of a budget gauge (daily and monthly limits never add up). */
const perPeriod = (expr: string): string =>
  `sum by (period) (${expr} * on (budget) group_left (period) max by (budget, period) (${sel(m.budgetInfo, 'budget')}))`;
const downNote =
  'No value when the budget evaluator is down or not scraped (see Evaluator health).';

export function budgets(): Dashboard {
  return buildDashboard({
    uid: 'burnrate-budgets',
    title: 'Burnrate / Budgets',
    description:
      'Each budget from budgets.yaml: how much of its limit is spent, where the period is heading, how fast it burns, which budget alerts are firing, and whether the budget evaluator itself is healthy (its gauges).',
    from: 'now-7d',
    withBudget: true,
    sections: [
      {
        row: 'Now',
        panels: [
          statPanel({
            title: 'Budget alerts firing',
            description: `Budget thresholds firing now (burnrate_budget_alert_firing == 1), across the selected budgets. The alert gauge carries only budget, threshold, kind and severity: the other variables do not filter it. ${downNote}`,
            unit: 'short',
            decimals: 0,
            w: 6,
            noValue: 'no data',
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `count(${firing}) or ${evaluatorZero}` }],
          }),
          statPanel({
            title: 'Budgets over limit',
            description: `Budgets whose spend this period has reached their limit (utilisation ≥ 100 %). ${filterNote} ${downNote}`,
            unit: 'short',
            decimals: 0,
            w: 6,
            noValue: 'no data',
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `count(${utilization} >= 1) or ${evaluatorZero}` }],
          }),
          tablePanel({
            title: 'Limits and spend by period',
            description: `Per budget period (daily, weekly, monthly, quarterly, yearly, rolling-…): the selected budgets' limits added up, their spend this period and how many budgets. Limits of different periods are never added together; budgets can overlap (a team budget inside an environment budget), so a sum is not a company total. ${filterNote}`,
            w: 12,
            h: 4,
            queries: [
              { expr: perPeriod(limit) },
              { expr: perPeriod(spend) },
              { expr: `count by (period) (${info})` },
            ],
            columns: [
              { refId: 'A', name: 'Limits', unit: usd, decimals: 2 },
              { refId: 'B', name: 'Spend', unit: usd, decimals: 2 },
              { refId: 'C', name: 'Budgets', unit: 'short', decimals: 0 },
            ],
            sortBy: 'period',
            ascending: true,
          }),
        ],
      },
      {
        row: 'Every budget',
        panels: [
          barGaugePanel({
            title: 'Utilisation',
            description: `Spend this period as a share of each budget's limit (burnrate_budget_utilization_ratio), one bar per budget. Amber from 80 %, red at 100 %. ${filterNote}`,
            unit: 'percentunit',
            w: 8,
            h: 9,
            max: 1,
            thresholds: limitThresholds,
            queries: [{ expr: utilization, legend: '{{budget}}' }],
          }),
          tablePanel({
            title: 'Budgets: period, limit, spend and forecast',
            description: `Per budget: its period, time zone, sources (llm, vectordb) and enforcement (burnrate_budget_info); limit, spend and forecast for the current period; utilisation; forecast as a share of the limit (the burn rate: above 100 % the budget runs out before the period ends); spend speed over the last hour; when it runs out at that speed (empty when that is after the reset, or it does not grow); when the period resets (calendar periods; rolling windows never reset). ${filterNote}`,
            w: 16,
            h: 9,
            queries: [
              { expr: info },
              { expr: limit },
              { expr: spend },
              { expr: forecast },
              { expr: utilization },
              { expr: ratio(forecast, limit) },
              { expr: `${burnSpeed} * 3600` },
              { expr: runsOut },
              { expr: `${periodEnd} * 1000` },
            ],
            hide: ['Value #A'],
            columns: [
              { refId: 'B', name: 'Limit', unit: usd, decimals: 2 },
              { refId: 'C', name: 'Spend', unit: usd, decimals: 2 },
              { refId: 'D', name: 'Forecast', unit: usd, decimals: 2 },
              { refId: 'E', name: 'Utilisation', unit: 'percentunit', decimals: 1 },
              {
                refId: 'F',
                name: 'Burn rate (forecast ÷ limit)',
                unit: 'percentunit',
                decimals: 1,
              },
              { refId: 'G', name: 'Spend speed ($/hour)', unit: usd },
              { refId: 'H', name: 'Runs out in (at this speed)', unit: 'dtdurations' },
              { refId: 'I', name: 'Resets', unit: 'dateTimeAsIso' },
            ],
            sortBy: 'Utilisation',
          }),
        ],
      },
      evaluatorHealth(),
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
