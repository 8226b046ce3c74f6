// Spend overview: what did we spend, how fast, on what, and what is growing.
// Answers "which model is most expensive", "which endpoint is growing fastest",
// "which team drives the increase" and "which environment spends most".
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { statPanel, tablePanel, timeseriesPanel } from './panels.ts';
import {
  increase,
  llmCost,
  llmRequests,
  m,
  perHour,
  ratio,
  secondsLeftInMonth,
  sel,
  topk,
  totalSpend,
  vectorCost,
  weekOverWeek,
} from './promql.ts';

const increaseNote =
  "Prometheus increase(): extrapolated to the window's edges, and a series' first call is counted from its second scrape on.";
const usd = 'currencyUSD';
const unpriced = sel(m.requests, 'llm', 'cost_source="unpriced"');

function spendRateBy(label: string, what: string) {
  return timeseriesPanel({
    title: `Spend rate by ${what} ($/hour)`,
    description: `LLM spend per hour by ${what} (rate of burnrate_llm_cost_usd_total over $__rate_interval × 3600). Filtered by the variables above.`,
    unit: usd,
    axisLabel: '$ per hour',
    stack: true,
    w: 12,
    queries: [{ expr: perHour(llmCost, [label]), legend: `{{${label}}}` }],
  });
}

function topTable(labels: string[], what: string) {
  return tablePanel({
    title: `Top 10 ${what} by spend`,
    description: `The ${what} with the highest LLM spend over the dashboard's time range, with their calls and cost per call. ${increaseNote}`,
    w: 12,
    queries: [
      { expr: topk(10, increase(llmCost, labels)) },
      { expr: increase(llmRequests, labels) },
      {
        expr: ratio(
          increase(llmCost, labels),
          increase(sel(m.requests, 'llm', 'cost_source!="unpriced"'), labels),
        ),
      },
    ],
    columns: [
      { refId: 'A', name: 'Spend', unit: usd, decimals: 2 },
      { refId: 'B', name: 'Calls', unit: 'short', decimals: 0 },
      { refId: 'C', name: 'Cost per priced call', unit: usd, decimals: 4 },
    ],
    sortBy: 'Spend',
  });
}

function growthTable(label: string, what: string) {
  return tablePanel({
    title: `Fastest-growing ${what} (last 7 days against the 7 before)`,
    description: `LLM spend per ${label} in the last 7 days, the 7 days before, and the change in dollars; sorted by the change, top 10. A ${label} that is new this week grows from $0. Fixed 7-day windows, independent of the time picker.`,
    w: 12,
    queries: [
      { expr: topk(10, weekOverWeek(llmCost, [label])) },
      { expr: increase(llmCost, [label], '7d') },
      { expr: increase(llmCost, [label], '7d', '7d') },
    ],
    columns: [
      { refId: 'A', name: 'Change', unit: usd, decimals: 2 },
      { refId: 'B', name: 'Last 7 days', unit: usd, decimals: 2 },
      { refId: 'C', name: '7 days before', unit: usd, decimals: 2 },
    ],
    sortBy: 'Change',
  });
}

export function spendOverview(): Dashboard {
  const monthToDate = increase(llmCost);
  return buildDashboard({
    uid: 'burnrate-spend-overview',
    title: 'Burnrate / Spend overview',
    description:
      'What LLM and vector-database calls cost: totals, rate, the biggest and fastest-growing spenders, unpriced calls and a month-end forecast.',
    from: 'now-7d',
    sections: [
      {
        row: 'At a glance',
        panels: [
          statPanel({
            title: 'Spend in range',
            description: `LLM plus vector-database spend over the dashboard's time range. The model filter applies to LLM calls only. ${increaseNote}`,
            unit: usd,
            decimals: 2,
            w: 5,
            queries: [{ expr: totalSpend() }],
          }),
          statPanel({
            title: 'Month to date',
            description: `LLM plus vector-database spend since the 1st of this month, 00:00 UTC (panel time override now/M). ${increaseNote}`,
            unit: usd,
            decimals: 2,
            w: 5,
            timeFrom: 'now/M',
            queries: [{ expr: totalSpend() }],
          }),
          statPanel({
            title: 'LLM forecast to month end',
            description:
              "Month-to-date LLM spend plus this month's average spend per second so far, times the seconds left in the month (UTC). Linear: a month that started quiet underestimates. Budgets have their own forecasts on the Budgets dashboard.",
            unit: usd,
            decimals: 2,
            w: 5,
            timeFrom: 'now/M',
            queries: [
              { expr: `${monthToDate} + ${monthToDate} / $__range_s * ${secondsLeftInMonth}` },
            ],
          }),
          statPanel({
            title: 'Spend rate ($/hour)',
            description:
              'LLM plus vector-database spend per hour right now (rate over $__rate_interval × 3600), with its trend over the range.',
            unit: usd,
            decimals: 2,
            w: 5,
            graph: true,
            queries: [
              {
                expr: `(${perHour(llmCost)} or vector(0)) + (${perHour(vectorCost)} or vector(0))`,
                legend: 'spend rate',
              },
            ],
          }),
          statPanel({
            title: 'Unpriced calls',
            description:
              'LLM calls in range that no catalog price covers (cost_source="unpriced"): their cost is missing from every dollar figure here, never counted as $0. Add the model to the pricing catalog.',
            unit: 'short',
            decimals: 0,
            w: 4,
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `round(${increase(unpriced)})` }],
          }),
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
