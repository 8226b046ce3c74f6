// Agents: what agents spend, what one run costs (p50/p95), how many model calls a run makes,
// which tools spend it, how the context grows over a run's steps, and the breaker's trips.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { barGaugePanel, statPanel, tablePanel, timeseriesPanel } from './panels.ts';
import { increase, m, perHour, quantile, rate, ratio, sel } from './promql.ts';

const usd = 'currencyUSD';
const steps = ['1', '2', '4', '8', '16', '32+'] as const;

const spend = sel(m.cost, 'llmAgent');
const agentSpend = sel(m.cost, 'llmAgent', 'agent!="unassigned"');
const run = (metric: string, suffix: string): string => sel(`${metric}${suffix}`, 'agentRun');
const costBucket = run(m.runCost, '_bucket');
const callsBucket = run(m.runCalls, '_bucket');
const tools = sel(m.toolCost, 'agentRun');
const trips = sel(m.breakerTrips, 'agentStep');
const stepTokens = (step: string, suffix: '_sum' | '_count'): string =>
  sel(`${m.stepInput}${suffix}`, 'agentStep', `step="${step}"`);

/** Mean of a run histogram (sum ÷ count) over the range, or over $__rate_interval (a line). */
function mean(metric: string, labels: string[], over: 'range' | 'rate' = 'range'): string {
  const grow = (suffix: string): string =>
    over === 'range' ? increase(run(metric, suffix), labels) : rate(run(metric, suffix), labels);
  return ratio(grow('_sum'), grow('_count'));
}

const stepMean = (step: string, labels: string[]): string =>
  ratio(increase(stepTokens(step, '_sum'), labels), increase(stepTokens(step, '_count'), labels));

const runNote =
  'One run is a top-level agent run (an Agents SDK run(), a LangGraph invoke, an AI SDK agent call, a withBudget scope); its figures come from the run span (invoke_agent) through the Collector, labelled with the top-level agent. Run metrics have no endpoint or model: those two variables do not filter them.';
const quantileNote =
  'p50/p95 are histogram_quantile() over the run-cost buckets, interpolated inside the bucket the quantile falls in (buckets $0.001 … $10): a read of the distribution, not an exact run.';
const stepNote =
  'Step is the index of the priced model call within its run, as a power of two (step 3 counts under 2, 5–7 under 4, 32 and beyond under 32+). Step metrics carry service, environment and agent only: team, endpoint and model do not filter them.';

export function agents(): Dashboard {
  return buildDashboard({
    uid: 'burnrate-agents',
    title: 'Burnrate / Agents',
    description:
      'What agents spend: spend by agent, cost and model calls per run (p50/p95), cost by tool, context growth over a run, and the breaker’s trips.',
    from: 'now-7d',
    withAgent: true,
    sections: [
      {
        row: 'At a glance',
        panels: [
          statPanel({
            title: 'Agent spend in range',
            description:
              'LLM spend over the range on calls made inside an agent (agent label other than `unassigned`), from burnrate_llm_cost_usd_total. Prometheus increase(): a series’ first call counts from its second scrape on.',
            unit: usd,
            decimals: 2,
            w: 6,
            queries: [{ expr: increase(agentSpend) }],
          }),
          statPanel({
            title: 'Agent runs in range',
            description: `Agent runs that ended in the range with at least one priced call (burnrate_agent_run_calls_count). ${runNote}`,
            unit: 'short',
            decimals: 0,
            w: 6,
            queries: [{ expr: `round(${increase(run(m.runCalls, '_count'))})` }],
          }),
          statPanel({
            title: 'Average cost per run',
            description: `Dollars of priced model calls per run over the range (run-cost histogram sum ÷ count). ${runNote}`,
            unit: usd,
            w: 6,
            queries: [{ expr: mean(m.runCost, []) }],
          }),
          statPanel({
            title: 'Breaker trips in range',
            description:
              'Model calls the agent breaker refused (mode enforce) or marked (mode record) in the range: loops, spend velocity or too many steps in one run.',
            unit: 'short',
            decimals: 0,
            w: 6,
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            queries: [{ expr: `round(${increase(trips)})` }],
          }),
        ],
      },
      {
        row: 'Spend by agent',
        panels: [
          timeseriesPanel({
            title: 'Spend rate by agent ($/hour)',
            description:
              'LLM spend per hour by agent (burnrate_llm_cost_usd_total by agent). `unassigned` is spend outside any agent; `other` is agents past the per-service cap.',
            unit: usd,
            axisLabel: '$ per hour',
            stack: true,
            w: 12,
            queries: [{ expr: perHour(spend, ['agent']), legend: '{{agent}}' }],
          }),
          tablePanel({
            title: 'Agents in range: spend, runs and cost per run',
            description: `Per agent over the range: LLM spend (every call the agent made, filtered by all variables), runs it led, average, p50 and p95 cost per run, and model calls per run. ${quantileNote} ${runNote}`,
            w: 12,
            queries: [
              { expr: increase(spend, ['agent']) },
              { expr: `round(${increase(run(m.runCost, '_count'), ['agent'])})` },
              { expr: mean(m.runCost, ['agent']) },
              { expr: quantile(0.5, costBucket, ['agent'], '$__range') },
              { expr: quantile(0.95, costBucket, ['agent'], '$__range') },
              { expr: mean(m.runCalls, ['agent']) },
            ],
            columns: [
              { refId: 'A', name: 'Spend', unit: usd },
              { refId: 'B', name: 'Runs', unit: 'short', decimals: 0 },
              { refId: 'C', name: 'Average per run', unit: usd },
              { refId: 'D', name: 'p50 per run', unit: usd },
              { refId: 'E', name: 'p95 per run', unit: usd },
              { refId: 'F', name: 'Calls per run', unit: 'short', decimals: 1 },
            ],
            sortBy: 'Spend',
          }),
        ],
      },
      {
        row: 'Per run',
        panels: [
          timeseriesPanel({
            title: 'Cost per run by agent, p50 and p95',
            description: `Cost of one run by agent: median and 95th percentile of runs that ended in each interval. ${quantileNote} ${runNote}`,
            unit: usd,
            axisLabel: '$ per run',
            w: 12,
            queries: [
              { expr: quantile(0.5, costBucket, ['agent']), legend: '{{agent}} p50' },
              { expr: quantile(0.95, costBucket, ['agent']), legend: '{{agent}} p95' },
            ],
          }),
          timeseriesPanel({
            title: 'Model calls per run by agent: p50, p95 and average',
            description: `Priced model calls one run makes, by agent (burnrate_agent_run_calls): median and 95th percentile (bucket-interpolated, buckets 1 … 128) and the exact average (sum ÷ count). A run whose calls climb is looping or accumulating work. ${runNote}`,
            unit: 'short',
            axisLabel: 'calls per run',
            min: 0,
            w: 12,
            queries: [
              { expr: quantile(0.5, callsBucket, ['agent']), legend: '{{agent}} p50' },
              { expr: quantile(0.95, callsBucket, ['agent']), legend: '{{agent}} p95' },
              { expr: mean(m.runCalls, ['agent'], 'rate'), legend: '{{agent}} average' },
            ],
          }),
        ],
      },
      {
        row: 'Tools',
        panels: [
          timeseriesPanel({
            title: 'Cost by tool ($/hour)',
            description:
              'Spend per hour of the model calls made while a tool ran (gen_ai.tool.name; a tool that itself calls a model or embeddings), by agent and tool (burnrate_agent_tool_cost_usd_total). Calls outside a tool are not here. No endpoint or model label: those variables do not filter it.',
            unit: usd,
            axisLabel: '$ per hour',
            stack: true,
            w: 12,
            queries: [{ expr: perHour(tools, ['agent', 'tool']), legend: '{{agent}} / {{tool}}' }],
          }),
          tablePanel({
            title: 'Top 10 tools by cost in range',
            description:
              'The tools whose model calls cost most over the range, by agent and tool (burnrate_agent_tool_cost_usd_total). Prometheus increase(): a series’ first call counts from its second scrape on.',
            w: 12,
            queries: [{ expr: `topk(10, ${increase(tools, ['agent', 'tool'])})` }],
            columns: [{ refId: 'A', name: 'Cost', unit: usd }],
            sortBy: 'Cost',
            limit: 10,
          }),
        ],
      },
      {
        row: 'Context growth over a run',
        panels: [
          barGaugePanel({
            title: 'Input tokens per call by step of the run',
            description: `Average input tokens of a model call at each step of a run, over the range (burnrate_agent_step_input_tokens sum ÷ count): how the context accumulates, so later calls cost more than the first. ${stepNote}`,
            unit: 'short',
            decimals: 0,
            w: 10,
            queries: steps.map((s) => ({ expr: stepMean(s, []), legend: `step ${s}` })),
          }),
          tablePanel({
            title: 'Input tokens per call by agent and step',
            description: `Per agent, the average input tokens of a model call at steps 1, 2, 4, 8, 16 and 32+ of its runs, over the range. ${stepNote}`,
            w: 14,
            queries: steps.map((s) => ({ expr: stepMean(s, ['agent']) })),
            columns: steps.map((s, i) => ({
              refId: String.fromCharCode(65 + i),
              name: `step ${s}`,
              unit: 'short',
              decimals: 0,
            })),
            sortBy: 'step 1',
          }),
        ],
      },
      {
        row: 'Breaker',
        panels: [
          timeseriesPanel({
            title: 'Breaker trips by agent and kind (per hour)',
            description:
              'Model calls the agent breaker refused (enforce) or only marked (record), per hour, by agent, kind (loop: the same request repeated; velocity: $/minute of a run; steps: calls per run) and mode (burnrate_agent_breaker_trips_total). Team, endpoint and model do not filter it.',
            unit: 'short',
            axisLabel: 'trips per hour',
            stack: true,
            w: 12,
            queries: [
              {
                expr: perHour(trips, ['agent', 'kind', 'mode']),
                legend: '{{agent}} {{kind}} ({{mode}})',
              },
            ],
          }),
          tablePanel({
            title: 'Breaker trips in range by agent and kind',
            description:
              'Breaker trips over the range by agent, kind and mode: enforce refused the call with BudgetExceededError, record only marked its span.',
            w: 12,
            queries: [{ expr: `round(${increase(trips, ['agent', 'kind', 'mode'])})` }],
            columns: [{ refId: 'A', name: 'Trips', unit: 'short', decimals: 0 }],
            sortBy: 'Trips',
          }),
        ],
      },
    ],
  });
}
