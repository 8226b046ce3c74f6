// Small PromQL builders shared by the dashboards: one place decides how template variables filter
// each metric family, how counters become dollars, and how windows are compared.

/**
 * Which template variables a metric family can be filtered by (vector metrics have no model).
 * The agent families carry only the labels the Collector gives them: runs and tool costs have
 * no endpoint or model, step tokens and breaker trips no team either (docs/contract.md).
 */
export type Family =
  | 'llm'
  | 'vector'
  | 'budget'
  | 'budgetScope'
  | 'alert'
  | 'llmAgent'
  | 'agentRun'
  | 'agentStep';

const llmFilter = [
  'environment=~"$environment"',
  'team=~"$team"',
  'service=~"$service"',
  'endpoint=~"$endpoint"',
  'model=~"$model"',
  'tenant=~"$tenant"',
];
const vectorFilter = llmFilter.filter((m) => !m.startsWith('model'));
/**
 * A budget gauge carries only its own selector labels: a budget with no `team` label covers every
 * team. So a picked value also keeps budgets without that label (`=~"$team|"`: the value or absent).
 */
const budgetScope = llmFilter.map((f) => f.replace(/"\$(\w+)"$/, '"$$$1|"'));
const budgetFilter = ['budget=~"$budget"', ...budgetScope];

const agentFilter = 'agent=~"$agent"';
const runFilter = [...llmFilter.slice(0, 3), agentFilter];

const familyFilter: Record<Family, readonly string[]> = {
  llm: llmFilter,
  vector: vectorFilter,
  budget: budgetFilter,
  budgetScope,
  alert: ['budget=~"$budget"'],
  llmAgent: [...llmFilter, agentFilter],
  agentRun: runFilter,
  agentStep: runFilter.filter((f) => !f.startsWith('team')),
};

/** `metric{<the family's variable filter>, ...extra}`. */
export function sel(metric: string, family: Family, ...extra: string[]): string {
  return `${metric}{${[...familyFilter[family], ...extra].join(', ')}}`;
}

export const m = {
  cost: 'burnrate_llm_cost_usd_total',
  tokens: 'burnrate_llm_tokens_total',
  requests: 'burnrate_llm_requests_total',
  vectorOps: 'burnrate_vectordb_operations_total',
  vectorCost: 'burnrate_vectordb_cost_usd_total',
  budgetLimit: 'burnrate_budget_limit_usd',
  budgetSpend: 'burnrate_budget_spend_usd',
  budgetForecast: 'burnrate_budget_forecast_usd',
  budgetUtilization: 'burnrate_budget_utilization_ratio',
  budgetAlert: 'burnrate_budget_alert_firing',
  budgetInfo: 'burnrate_budget_info',
  budgetPeriodEnd: 'burnrate_budget_period_end_timestamp_seconds',
  evaluatorLastSuccess: 'burnrate_budget_last_success_timestamp_seconds',
  evaluatorDataMissing: 'burnrate_budget_data_missing',
  evaluatorErrors: 'burnrate_budget_evaluation_errors_total',
  evaluatorConfigured: 'burnrate_budget_configured',
  llmMonthToDate: 'attribution_model:burnrate_llm_cost_usd:month_to_date',
  vectorMonthToDate: 'attribution:burnrate_vectordb_cost_usd:month_to_date',
  llmToday: 'attribution_model:burnrate_llm_cost_usd:today',
  vectorToday: 'attribution:burnrate_vectordb_cost_usd:today',
  llmLastMonth: 'attribution_model:burnrate_llm_cost_usd:last_month',
  vectorLastMonth: 'attribution:burnrate_vectordb_cost_usd:last_month',
  runCost: 'burnrate_agent_run_cost_usd',
  runCalls: 'burnrate_agent_run_calls',
  stepInput: 'burnrate_agent_step_input_tokens',
  toolCost: 'burnrate_agent_tool_cost_usd_total',
  breakerTrips: 'burnrate_agent_breaker_trips_total',
} as const;

/** The filtered selectors most panels use. */
export const llmCost = sel(m.cost, 'llm');
export const llmRequests = sel(m.requests, 'llm');
export const vectorCost = sel(m.vectorCost, 'vector');
export const vectorOps = sel(m.vectorOps, 'vector');
export const tokens = (tokenType: string): string =>
  sel(m.tokens, 'llm', `token_type="${tokenType}"`);

function by(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

/** Per-second rate over Grafana's $__rate_interval, summed by the given labels. */
export function rate(selector: string, labels: readonly string[] = []): string {
  return `sum${by(labels)} (rate(${selector}[$__rate_interval]))`;
}

/** Spend rate in dollars per hour (rate × 3600). */
export function perHour(selector: string, labels: readonly string[] = []): string {
  return `${rate(selector, labels)} * 3600`;
}

/** The counter's growth over a window (default: the dashboard's range). */
export function increase(
  selector: string,
  labels: readonly string[] = [],
  window = '$__range',
  offset?: string,
): string {
  const off = offset ? ` offset ${offset}` : '';
  return `sum${by(labels)} (increase(${selector}[${window}]${off}))`;
}

/** Growth in the last 7 days minus the 7 days before; a series new this week counts from zero. */
export function weekOverWeek(selector: string, labels: readonly string[]): string {
  const thisWeek = increase(selector, labels, '7d');
  const lastWeek = increase(selector, labels, '7d', '7d');
  return `${thisWeek} - (${lastWeek} or ${thisWeek} * 0)`;
}

/** `a / b` where b is positive (drops series with no denominator instead of showing Inf). */
export function ratio(numerator: string, denominator: string): string {
  return `(${numerator}) / (${denominator} > 0)`;
}

/**
 * The q-quantile of a histogram (`<base>_bucket`), per the given labels, from the buckets' growth
 * over a window (default $__rate_interval: a line over time; `$__range`: one figure for the range).
 * Prometheus interpolates linearly inside the bucket the quantile falls in.
 */
export function quantile(
  q: number,
  bucket: string,
  labels: readonly string[],
  window = '$__rate_interval',
): string {
  const fn = window === '$__rate_interval' ? 'rate' : 'increase';
  return `histogram_quantile(${q}, sum by (${[...labels, 'le'].join(', ')}) (${fn}(${bucket}[${window}])))`;
}

/** `top k` of an expression. */
export function topk(k: number, expr: string): string {
  return `topk(${k}, ${expr})`;
}

/** Seconds left in the current calendar month (UTC), as an instant vector without labels. */
export const secondsLeftInMonth =
  '((days_in_month() - day_of_month() + 1) * 86400 - hour() * 3600 - minute() * 60)';

/** `a + b` where either side may be absent (absent only when both are): no `or vector(0)`. */
export function plus(a: string, b: string): string {
  return `((${a}) + (${b}) or (${a}) or (${b}))`;
}

/** LLM spend plus vector-database spend over the range; either side may be absent. */
export function totalSpend(window = '$__range'): string {
  return plus(increase(llmCost, [], window), increase(vectorCost, [], window));
}

/** LLM plus vector spend from the recording rules of one kind (month to date, today, last month). */
export function recorded(
  llmRule: string,
  vectorRule: string,
  labels: readonly string[] = [],
): string {
  return plus(
    `sum${by(labels)} (${sel(llmRule, 'llm')})`,
    `sum${by(labels)} (${sel(vectorRule, 'vector')})`,
  );
}

/** LLM plus vector spend per second over the last hour (fixed window: not the time picker's). */
export const hourlyRate = `(${plus(increase(llmCost, [], '1h'), increase(vectorCost, [], '1h'))} / 3600)`;

/** Burnrate's Prometheus-rule alerts firing now (the evaluator's budget alerts are not here). */
export const burnrateAlerts = 'ALERTS{alertname=~"Burnrate.*", alertstate="firing"}';
