// Panel factories of the spend overview: spend rate by a label, the top-10 tables (a topk over
// the final aggregation, every other column cut to the same rows, and a panel-level limit) and
// the week-over-week growth tables.
import { tablePanel, timeseriesPanel } from './panels.ts';
import {
  increase,
  llmCost,
  llmRequests,
  m,
  perHour,
  plus,
  ratio,
  recorded,
  sel,
  topk,
  vectorCost,
  weekOverWeek,
} from './promql.ts';

export const increaseNote =
  "Prometheus increase(): extrapolated to the window's edges, and a series' first call is counted from its second scrape on.";
export const usd = 'currencyUSD';
const top = 10;

/** `expr` restricted to the label sets of `ranked` (the top rows). */
const onlyTop = (expr: string, labels: readonly string[], ranked: string): string =>
  `${expr} and on (${labels.join(', ')}) ${ranked}`;

export function spendRateBy(label: string, what: string, withVector = false) {
  const expr = withVector
    ? plus(perHour(llmCost, [label]), perHour(vectorCost, [label]))
    : perHour(llmCost, [label]);
  const scope = withVector
    ? 'LLM plus vector-database spend'
    : 'LLM spend (rate of burnrate_llm_cost_usd_total)';
  return timeseriesPanel({
    title: `Spend rate by ${what} ($/hour)`,
    description: `${scope} per hour by ${what} (rate over $__rate_interval × 3600). Filtered by the variables above.`,
    unit: usd,
    axisLabel: '$ per hour',
    stack: true,
    w: 12,
    queries: [{ expr, legend: `{{${label}}}` }],
  });
}

export function topTable(labels: string[], what: string) {
  const spend = topk(top, increase(llmCost, labels));
  return tablePanel({
    title: `Top 10 ${what} by spend`,
    description: `The ${what} with the highest LLM spend over the dashboard's time range (at most 10 rows), with their calls and cost per call. ${increaseNote}`,
    w: 12,
    queries: [
      { expr: spend },
      { expr: onlyTop(increase(llmRequests, labels), labels, spend) },
      {
        expr: onlyTop(
          ratio(
            increase(llmCost, labels),
            increase(sel(m.requests, 'llm', 'cost_source!="unpriced"'), labels),
          ),
          labels,
          spend,
        ),
      },
    ],
    columns: [
      { refId: 'A', name: 'Spend', unit: usd, decimals: 2 },
      { refId: 'B', name: 'Calls', unit: 'short', decimals: 0 },
      { refId: 'C', name: 'Cost per priced call', unit: usd },
    ],
    sortBy: 'Spend',
    limit: top,
  });
}

/** Showback by tenant or service: LLM plus vector spend in range, both parts, month to date. */
export function attributionTable(label: string, what: string) {
  const l = [label];
  const spend = topk(top, plus(increase(llmCost, l), increase(vectorCost, l)));
  return tablePanel({
    title: `Top 10 ${what} by spend`,
    description: `The ${what} with the highest LLM plus vector-database spend over the range (at most 10 rows): both parts, and this month so far from the month-to-date recording rules (exact, calendar month UTC). ${increaseNote}`,
    w: 12,
    queries: [
      { expr: spend },
      { expr: onlyTop(increase(llmCost, l), l, spend) },
      { expr: onlyTop(increase(vectorCost, l), l, spend) },
      { expr: onlyTop(recorded(m.llmMonthToDate, m.vectorMonthToDate, l), l, spend) },
    ],
    columns: [
      { refId: 'A', name: 'Spend', unit: usd, decimals: 2 },
      { refId: 'B', name: 'LLM', unit: usd, decimals: 2 },
      { refId: 'C', name: 'Vector databases', unit: usd, decimals: 2 },
      { refId: 'D', name: 'Month to date', unit: usd, decimals: 2 },
    ],
    sortBy: 'Spend',
    limit: top,
  });
}

export function growthTable(label: string, what: string) {
  const change = topk(top, weekOverWeek(llmCost, [label]));
  return tablePanel({
    title: `Fastest-growing ${what} (last 7 days against the 7 before)`,
    description: `LLM spend per ${label} in the last 7 days, the 7 days before, and the change in dollars; sorted by the change, top 10. A ${label} that is new this week grows from $0. Fixed 7-day windows, independent of the time picker.`,
    w: 12,
    queries: [
      { expr: change },
      { expr: onlyTop(increase(llmCost, [label], '7d'), [label], change) },
      { expr: onlyTop(increase(llmCost, [label], '7d', '7d'), [label], change) },
    ],
    columns: [
      { refId: 'A', name: 'Change', unit: usd, decimals: 2 },
      { refId: 'B', name: 'Last 7 days', unit: usd, decimals: 2 },
      { refId: 'C', name: '7 days before', unit: usd, decimals: 2 },
    ],
    sortBy: 'Change',
    limit: top,
  });
}
