// Evaluator health (Budgets dashboard): is the budget evaluator scraped, when did it last
// evaluate with cost data, does it see the cost series, how many errors. A down or absent
// evaluator reads as down, never as a green 0.
import { MappingType, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Section } from './dashboard.ts';
import { statPanel } from './panels.ts';
import { m } from './promql.ts';

/** The evaluator's scrape job in deploy/prometheus/prometheus.yml (and its Down alert). */
export const evaluatorJob = 'burnrate-budget-evaluator';
const up = `up{job="${evaluatorJob}"}`;

const upDown: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '0': { text: 'Down', color: 'red', index: 0 },
      '1': { text: 'Up', color: 'green', index: 1 },
    },
  },
];
const missing: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '0': { text: 'Seen', color: 'green', index: 0 },
      '1': { text: 'Missing', color: 'red', index: 1 },
    },
  },
];
const red = [
  { value: null, color: 'green' },
  { value: 1, color: 'red' },
];

export function evaluatorHealth(): Section {
  return {
    row: 'Evaluator health',
    panels: [
      statPanel({
        title: 'Budget evaluator',
        description: `Up while Prometheus scrapes the budget evaluator (up of scrape job ${evaluatorJob}); Down when the scrape fails or no such target exists (absent). While it is down no budget is checked and its gauges go stale. Alert: BurnrateBudgetEvaluatorDown.`,
        unit: 'none',
        w: 6,
        mappings: upDown,
        thresholds: [
          { value: null, color: 'red' },
          { value: 1, color: 'green' },
        ],
        queries: [{ expr: `max(${up}) or on () (0 * absent(${up}))` }],
      }),
      statPanel({
        title: 'Last successful evaluation',
        description:
          'Time since the evaluator last evaluated with cost data (burnrate_budget_last_success_timestamp_seconds, kept for a day while the evaluator is down, so the age keeps growing). Red after 10 minutes.',
        unit: 's',
        decimals: 0,
        w: 6,
        noValue: 'none in 24 h',
        thresholds: [
          { value: null, color: 'green' },
          { value: 180, color: 'orange' },
          { value: 600, color: 'red' },
        ],
        queries: [{ expr: `time() - max(last_over_time(${m.evaluatorLastSuccess}[1d]))` }],
      }),
      statPanel({
        title: 'Evaluator data',
        description:
          'Missing while Prometheus is unreachable for the evaluator or the cost series it had are gone (burnrate_budget_data_missing; alert BurnrateBudgetDataMissing). No value when the evaluator is down.',
        unit: 'none',
        w: 6,
        noValue: 'evaluator down',
        mappings: missing,
        thresholds: red,
        queries: [{ expr: `max(${m.evaluatorDataMissing})` }],
      }),
      statPanel({
        title: 'Evaluation errors in range',
        description:
          'Evaluation problems over the range by any reason (Prometheus unreachable or erroring, cost series missing, Alertmanager, config reload, invalid cost data): burnrate_budget_evaluation_errors_total. No value when the evaluator is down.',
        unit: 'short',
        decimals: 0,
        w: 6,
        noValue: 'evaluator down',
        thresholds: red,
        queries: [{ expr: `round(sum(increase(${m.evaluatorErrors}[$__range])))` }],
      }),
    ],
  };
}
