// Unit economics and efficiency: what one call and a million tokens cost, how tokens are spent,
// how much caching and local estimates matter, what failing calls cost, and how usage changed.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard } from './dashboard.ts';
import { statPanel, tablePanel, timeseriesPanel } from './panels.ts';
import { increase, llmCost, llmRequests, m, rate, ratio, sel, tokens } from './promql.ts';

const usd = 'currencyUSD';
const pricedCalls = sel(m.requests, 'llm', 'cost_source!="unpriced"');
const failedCalls = sel(m.requests, 'llm', 'outcome="error"');
/** input counts every input token (cache included); output likewise: their sum is every token once. */
const allTokens = sel(m.tokens, 'llm', 'token_type=~"input|output"');

function costPerCall(label: string) {
  return timeseriesPanel({
    title: `Cost per call by ${label}`,
    description: `LLM spend divided by priced calls (cost_source usage or estimated), by ${label}. Unpriced calls are left out of both sides. Decimals follow the value (a cheap call reads $0.000016, not $0.0000).`,
    unit: usd,
    w: 12,
    queries: [
      { expr: ratio(rate(llmCost, [label]), rate(pricedCalls, [label])), legend: `{{${label}}}` },
    ],
  });
}

/** Prices read per million tokens, like the providers' price lists (embeddings: cents per 1M). */
function costPerMillionTokens(label: string) {
  return timeseriesPanel({
    title: `Cost per 1M tokens by ${label}`,
    description: `LLM spend per million tokens (input + output; cache and reasoning tokens are subsets of those, counted once), by ${label}: the unit of the providers' price lists. Tokens of unpriced calls have no cost: a ${label} mixing priced and unpriced models reads low. Decimals follow the value.`,
    unit: usd,
    w: 12,
    queries: [
      {
        expr: `${ratio(rate(llmCost, [label]), rate(allTokens, [label]))} * 1e6`,
        legend: `{{${label}}}`,
      },
    ],
  });
}

/** `num / den` by model where a model with no `num` series reads 0 instead of disappearing. */
function shareByModel(num: string, den: string): string {
  return ratio(`${rate(num, ['model'])} or ${rate(den, ['model'])} * 0`, rate(den, ['model']));
}

/** Average cost of a priced call per environment and model, over the range. */
const avgCallCost = ratio(
  increase(llmCost, ['environment', 'model', 'endpoint']),
  increase(pricedCalls, ['environment', 'model', 'endpoint']),
);
const errorSpendEstimate = `sum by (environment) (${increase(failedCalls, ['environment', 'model', 'endpoint'])} * on (environment, model, endpoint) ${avgCallCost})`;

export function unitEconomics(): Dashboard {
  return buildDashboard({
    uid: 'burnrate-unit-economics',
    title: 'Burnrate / Unit economics and efficiency',
    description:
      'What one call and a million tokens cost by model and endpoint, token mix, caching, estimated token counts, failing calls, and how usage changed week over week.',
    from: 'now-7d',
    sections: [
      {
        row: 'Cost per unit',
        panels: [
          costPerCall('model'),
          costPerCall('endpoint'),
          costPerMillionTokens('model'),
          costPerMillionTokens('endpoint'),
          tablePanel({
            title: 'Unit costs in range by model',
            description:
              "Per provider and model over the dashboard's range: spend, calls, tokens (input + output), cost per priced call and per million tokens (decimals follow the value). Prometheus increase() extrapolates to the window's edges.",
            w: 24,
            queries: [
              { expr: increase(llmCost, ['provider', 'model']) },
              { expr: increase(llmRequests, ['provider', 'model']) },
              { expr: increase(allTokens, ['provider', 'model']) },
              {
                expr: ratio(
                  increase(llmCost, ['provider', 'model']),
                  increase(pricedCalls, ['provider', 'model']),
                ),
              },
              {
                expr: `${ratio(increase(llmCost, ['provider', 'model']), increase(allTokens, ['provider', 'model']))} * 1e6`,
              },
            ],
            columns: [
              { refId: 'A', name: 'Spend', unit: usd, decimals: 2 },
              { refId: 'B', name: 'Calls', unit: 'short', decimals: 0 },
              { refId: 'C', name: 'Tokens', unit: 'short', decimals: 0 },
              { refId: 'D', name: 'Cost per priced call', unit: usd },
              { refId: 'E', name: 'Cost per 1M tokens', unit: usd },
            ],
            sortBy: 'Spend',
          }),
        ],
      },
      {
        row: 'Token efficiency',
        panels: [
          timeseriesPanel({
            title: 'Input/output token ratio by model',
            description:
              'Input tokens per output token, by model. A rising ratio means prompts (context, retrieved documents, history) grow faster than answers.',
            unit: 'none',
            decimals: 1,
            w: 8,
            queries: [
              {
                expr: ratio(rate(tokens('input'), ['model']), rate(tokens('output'), ['model'])),
                legend: '{{model}}',
              },
            ],
          }),
          timeseriesPanel({
            title: 'Cached-token share by model',
            description:
              "Share of input tokens read from the provider's prompt cache (cache_read ÷ input; input already includes cached tokens). Money saved by caching is not shown: it needs each model's uncached and cached input prices, which are in the pricing catalog and on spans (burnrate.cost.cache_read_usd), not in the metrics.",
            unit: 'percentunit',
            w: 8,
            min: 0,
            queries: [
              { expr: shareByModel(tokens('cache_read'), tokens('input')), legend: '{{model}}' },
            ],
          }),
          timeseriesPanel({
            title: 'Calls by token source',
            description:
              'Share of LLM calls priced from provider-reported usage, from locally estimated token counts (the provider returned none, e.g. a cut-off stream), or unpriced. The metrics count calls by cost_source, not tokens: this is the share of calls whose tokens were estimated.',
            unit: 'percentunit',
            w: 8,
            min: 0,
            stack: true,
            queries: [
              {
                expr: `${rate(llmRequests, ['cost_source'])} / on () group_left () (${rate(llmRequests)} > 0)`,
                legend: '{{cost_source}}',
              },
            ],
          }),
        ],
      },
      {
        row: 'Failing calls',
        panels: [
          statPanel({
            title: 'Error spend in range (estimate)',
            description:
              'Failed calls × the average cost of a priced call to the same environment, model and endpoint over the range. An estimate: the cost metric has no outcome label, and a failed call often costs less than a full one.',
            unit: usd,
            decimals: 2,
            w: 6,
            h: 8,
            queries: [{ expr: `sum(${errorSpendEstimate})` }],
          }),
          timeseriesPanel({
            title: 'Failed-call share by environment',
            description:
              'Share of LLM calls that failed (outcome="error") by environment. High shares burn money on retries and partial answers.',
            unit: 'percentunit',
            w: 9,
            min: 0,
            queries: [
              {
                expr: ratio(
                  `${rate(failedCalls, ['environment'])} or ${rate(llmRequests, ['environment'])} * 0`,
                  rate(llmRequests, ['environment']),
                ),
                legend: '{{environment}}',
              },
            ],
          }),
          tablePanel({
            title: 'Error spend by environment (estimate)',
            description:
              'Per environment over the range: failed calls and their estimated spend (failed calls × the average cost of a priced call to the same model and endpoint).',
            w: 9,
            queries: [
              { expr: errorSpendEstimate },
              { expr: `round(${increase(failedCalls, ['environment'])})` },
            ],
            columns: [
              { refId: 'A', name: 'Estimated error spend', unit: usd, decimals: 2 },
              { refId: 'B', name: 'Failed calls', unit: 'short', decimals: 0 },
            ],
            sortBy: 'Estimated error spend',
          }),
        ],
      },
      {
        row: 'What changed (last 7 days against the 7 before)',
        panels: [
          tablePanel({
            title: 'Usage pattern by model, week over week',
            description:
              'Per model: calls and tokens per call in the last 7 days and the 7 before. A jump in tokens per call (longer prompts, bigger context) or in calls (a new feature, a loop) shows which usage pattern changed. A model new this week has no "before".',
            w: 24,
            queries: [
              { expr: increase(llmRequests, ['model'], '7d') },
              { expr: increase(llmRequests, ['model'], '7d', '7d') },
              {
                expr: ratio(
                  increase(tokens('input'), ['model'], '7d'),
                  increase(llmRequests, ['model'], '7d'),
                ),
              },
              {
                expr: ratio(
                  increase(tokens('input'), ['model'], '7d', '7d'),
                  increase(llmRequests, ['model'], '7d', '7d'),
                ),
              },
              {
                expr: ratio(
                  increase(tokens('output'), ['model'], '7d'),
                  increase(llmRequests, ['model'], '7d'),
                ),
              },
              {
                expr: ratio(
                  increase(tokens('output'), ['model'], '7d', '7d'),
                  increase(llmRequests, ['model'], '7d', '7d'),
                ),
              },
            ],
            columns: [
              { refId: 'A', name: 'Calls, last 7 days', unit: 'short', decimals: 0 },
              { refId: 'B', name: 'Calls, 7 days before', unit: 'short', decimals: 0 },
              { refId: 'C', name: 'Input tokens/call, last 7 days', unit: 'short', decimals: 0 },
              { refId: 'D', name: 'Input tokens/call, before', unit: 'short', decimals: 0 },
              { refId: 'E', name: 'Output tokens/call, last 7 days', unit: 'short', decimals: 0 },
              { refId: 'F', name: 'Output tokens/call, before', unit: 'short', decimals: 0 },
            ],
            sortBy: 'Calls, last 7 days',
          }),
        ],
      },
    ],
  });
}
