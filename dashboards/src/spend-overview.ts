// Spend overview: what did we spend today, this month and last month, where the month ends,
// how fast, on what and for whom (tenant, service), what is growing and what is anomalous.
// Answers "which model is most expensive", "which endpoint is growing fastest",
// "which team drives the increase" and "which environment spends most".
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { anomalies } from './anomalies.ts';
import { buildDashboard } from './dashboard.ts';
import { statPanel, timeseriesPanel } from './panels.ts';
import {
  hourlyRate,
  increase,
  llmCost,
  llmRequests,
  m,
  perHour,
  plus,
  ratio,
  recorded,
  secondsLeftInMonth,
  sel,
  totalSpend,
  vectorCost,
} from './promql.ts';
import {
  attributionTable,
  growthTable,
  increaseNote,
  spendRateBy,
  topTable,
  usd,
} from './spend-panels.ts';

const unpriced = sel(m.requests, 'llm', 'cost_source="unpriced"');
const ruleNote =
  'From the month-to-date recording rules (deploy/prometheus/rules): exact to the cent, across Collector restarts, independent of Prometheus retention. No value when Prometheus does not load those rules.';
const monthToDate = recorded(m.llmMonthToDate, m.vectorMonthToDate);
/** Month to date plus `rate` ($/s) for the seconds left in the month (UTC). */
const toMonthEnd = (rate: string): string => `${monthToDate} + ${rate} * ${secondsLeftInMonth}`;
/** The hourly spend rate over the last 24 h, sampled every 10 minutes: fn = avg, min or max. */
const lastDay = (fn: string): string => `${fn}_over_time(${hourlyRate}[1d:10m])`;

export function spendOverview(): Dashboard {
  return buildDashboard({
    uid: 'burnrate-spend-overview',
    title: 'Burnrate / Spend overview',
    description:
      'What LLM and vector-database calls cost: today, month to date, last month and a month-end forecast with its band; rate; spend by tenant, service, model, endpoint, team and environment; the fastest-growing spenders; anomalies and firing alerts; unpriced calls.',
    from: 'now-7d',
    sections: [
      {
        row: 'At a glance',
        panels: [
          statPanel({
            title: 'Today',
            description: `LLM plus vector-database spend since 00:00 UTC today. ${ruleNote}`,
            unit: usd,
            decimals: 2,
            w: 4,
            noValue: 'no data',
            queries: [{ expr: recorded(m.llmToday, m.vectorToday) }],
          }),
          statPanel({
            title: 'Month to date',
            description: `LLM plus vector-database spend since the 1st of this month, 00:00 UTC. ${ruleNote}`,
            unit: usd,
            decimals: 2,
            w: 4,
            noValue: 'no data',
            queries: [{ expr: monthToDate }],
          }),
          statPanel({
            title: 'Last month',
            description: `LLM plus vector-database spend in the whole of last calendar month (UTC): the month-to-date figure when the month turned, kept all month. Empty until Prometheus has evaluated the rules across one month turn. ${ruleNote}`,
            unit: usd,
            decimals: 2,
            w: 4,
            noValue: 'not yet recorded',
            queries: [{ expr: recorded(m.llmLastMonth, m.vectorLastMonth) }],
          }),
          statPanel({
            title: 'Forecast to month end',
            description: `LLM plus vector-database spend at the end of this month (UTC): month to date plus a spend rate × the time left. Expected: the average hourly rate of the last 24 hours (the last hour while there is less history); low and high: the lowest and highest hourly rate in those 24 hours. The same scope as month to date. ${ruleNote}`,
            unit: usd,
            decimals: 2,
            w: 8,
            noValue: 'no data',
            queries: [
              { expr: toMonthEnd(`(${lastDay('min')} or ${hourlyRate})`), legend: 'low' },
              { expr: toMonthEnd(`(${lastDay('avg')} or ${hourlyRate})`), legend: 'expected' },
              { expr: toMonthEnd(`(${lastDay('max')} or ${hourlyRate})`), legend: 'high' },
            ],
          }),
          statPanel({
            title: 'Spend rate ($/hour)',
            description:
              'LLM plus vector-database spend per hour right now (rate over $__rate_interval × 3600), with its trend over the range.',
            unit: usd,
            decimals: 2,
            w: 4,
            graph: true,
            queries: [{ expr: plus(perHour(llmCost), perHour(vectorCost)), legend: 'spend rate' }],
          }),
          statPanel({
            title: 'Spend in range',
            description: `LLM plus vector-database spend over the dashboard's time range. The model filter applies to LLM calls only. ${increaseNote}`,
            unit: usd,
            decimals: 2,
            w: 12,
            queries: [{ expr: totalSpend() }],
          }),
          statPanel({
            title: 'Unpriced calls',
            description:
              'LLM calls in range that no catalog price covers (cost_source="unpriced"): their cost is missing from every dollar figure here, never counted as $0. Add the model to the pricing catalog.',
            unit: 'short',
            decimals: 0,
            w: 12,
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `round(${increase(unpriced)})` }],
          }),
        ],
      },
      {
        row: 'Who pays: tenants and services',
        panels: [
          spendRateBy('tenant', 'tenant', true),
          attributionTable('tenant', 'tenants'),
          spendRateBy('service', 'service', true),
          attributionTable('service', 'services'),
        ],
      },
      {
        row: 'Spend over time',
        panels: [
          spendRateBy('model', 'model'),
          spendRateBy('endpoint', 'endpoint'),
          spendRateBy('team', 'team'),
          spendRateBy('environment', 'environment'),
        ],
      },
      {
        row: 'Biggest spenders in range',
        panels: [
          topTable(['provider', 'model'], 'models'),
          topTable(['endpoint'], 'endpoints'),
          topTable(['team'], 'teams'),
          topTable(['environment'], 'environments'),
        ],
      },
      {
        row: 'What is growing',
        panels: [growthTable('endpoint', 'endpoints'), growthTable('team', 'teams')],
      },
      anomalies(),
      {
        row: 'Unpriced calls',
        panels: [
          timeseriesPanel({
            title: 'Unpriced calls by model (calls/s)',
            description:
              'Calls per second whose model has no price in the catalog (cost_source="unpriced"), by provider and model. Their spend is unknown, not zero.',
            unit: 'reqps',
            w: 12,
            queries: [
              {
                expr: `sum by (provider, model) (rate(${unpriced}[$__rate_interval]))`,
                legend: '{{provider}} {{model}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Share of calls unpriced',
            description:
              'Unpriced calls as a share of all LLM calls: how much of the traffic the dollar figures leave out.',
            unit: 'percentunit',
            w: 12,
            min: 0,
            queries: [
              {
                expr: ratio(
                  `sum(rate(${unpriced}[$__rate_interval])) or sum(rate(${llmRequests}[$__rate_interval])) * 0`,
                  `sum(rate(${llmRequests}[$__rate_interval]))`,
                ),
                legend: 'unpriced share',
              },
            ],
          }),
        ],
      },
    ],
  });
}
