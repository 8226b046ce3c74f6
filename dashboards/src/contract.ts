// The metric contract of DESIGN.md ("Metrics (what Prometheus holds)"), plus the budget alert gauge the
// lead fixed for the budget evaluator. Dashboards may name these metrics and labels and nothing else;
// test/dashboards-contract.test.ts checks every query against this file.

/** Labels every LLM cost metric carries (tenant is attribution the pipeline may add; bounded by design). */
export const llmLabels = [
  'service',
  'environment',
  'team',
  'endpoint',
  'tenant',
  'provider',
  'model',
  'operation',
  'agent',
] as const;

/** Labels of the vector-database metrics: no collection label (collection names are unbounded). */
export const vectorLabels = [
  'service',
  'environment',
  'team',
  'endpoint',
  'tenant',
  'db_system',
  'operation',
  'agent',
] as const;

/**
 * Agent metrics (docs/contract.md): made by the Collector from run spans (`invoke_agent`: the run
 * histograms, `agent` = the run's top-level agent) and from model-call spans in a run (steps,
 * tools, breaker trips: `agent` = the agent that made the call). Agents and tools are capped per
 * service (overflow `other`); run and session ids are never labels.
 */
const agentRunLabels = ['service', 'environment', 'team', 'agent'] as const;
const histogram = (name: string, labels: readonly string[]): Record<string, readonly string[]> => ({
  [`${name}_bucket`]: [...labels, 'le'],
  [`${name}_sum`]: labels,
  [`${name}_count`]: labels,
});

/** Budget gauges carry `budget` plus the budget's own selector labels (any cost-metric label). */
export const budgetLabels = [
  'budget',
  ...new Set<string>([...llmLabels, ...vectorLabels]),
] as const;

/** The month-to-date, today and last-month recording rules (deploy/prometheus/rules). */
const attribution = ['service', 'environment', 'team', 'endpoint', 'tenant'] as const;
const recordedSpend = (name: string, labels: readonly string[]) =>
  Object.fromEntries(['month_to_date', 'today', 'last_month'].map((k) => [`${name}:${k}`, labels]));

/** Prometheus' own series the dashboards read: alerts (rules) and scrape health. */
const prometheusSeries = {
  ALERTS: ['alertname', 'alertstate', 'severity', 'team', 'environment', 'model', 'service'],
  up: ['job', 'instance'],
};

export const metrics: Readonly<Record<string, readonly string[]>> = {
  burnrate_llm_cost_usd_total: llmLabels,
  burnrate_llm_tokens_total: [...llmLabels, 'token_type'],
  burnrate_llm_requests_total: [...llmLabels, 'outcome', 'cost_source'],
  burnrate_vectordb_operations_total: vectorLabels,
  burnrate_vectordb_cost_usd_total: vectorLabels,
  ...histogram('burnrate_agent_run_cost_usd', agentRunLabels),
  ...histogram('burnrate_agent_run_calls', agentRunLabels),
  ...histogram('burnrate_agent_step_input_tokens', ['service', 'environment', 'agent', 'step']),
  burnrate_agent_tool_cost_usd_total: [...agentRunLabels, 'tool'],
  burnrate_agent_breaker_trips_total: ['service', 'environment', 'agent', 'kind', 'mode'],
  burnrate_budget_limit_usd: budgetLabels,
  burnrate_budget_spend_usd: budgetLabels,
  burnrate_budget_forecast_usd: budgetLabels,
  burnrate_budget_utilization_ratio: budgetLabels,
  burnrate_budget_alert_firing: ['budget', 'threshold', 'kind', 'severity'],
  burnrate_budget_info: [...budgetLabels, 'period', 'timezone', 'sources', 'enforcement'],
  burnrate_budget_period_end_timestamp_seconds: budgetLabels,
  burnrate_budget_last_success_timestamp_seconds: [],
  burnrate_budget_data_missing: [],
  burnrate_budget_evaluation_errors_total: ['reason'],
  burnrate_budget_configured: [],
  ...recordedSpend('attribution_model:burnrate_llm_cost_usd', [...attribution, 'model']),
  ...recordedSpend('attribution:burnrate_vectordb_cost_usd', attribution),
  ...prometheusSeries,
};

/** Labels whose values are a closed set in the contract: a query may only match these values. */
export const labelValues: Readonly<Record<string, readonly string[]>> = {
  token_type: ['input', 'output', 'cache_read', 'cache_write', 'reasoning'],
  outcome: ['ok', 'error'],
  cost_source: ['usage', 'estimated', 'unpriced'],
  /** Step of a model call within its run, as a power of two (3 → "2", 5..7 → "4", ≥ 32 → "32+"). */
  step: ['1', '2', '4', '8', '16', '32+'],
  mode: ['enforce', 'record'],
  alertstate: ['pending', 'firing'],
};

export type MetricName = keyof typeof metrics;

export function isContractMetric(name: string): boolean {
  return Object.hasOwn(metrics, name);
}

/** Every label some contract metric carries. */
export function allContractLabels(): Set<string> {
  return new Set(Object.values(metrics).flat());
}
