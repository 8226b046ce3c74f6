// Demo traffic for the dashboards' query check: spans shaped like the contract (what
// @burnrate/auto puts on a call), and a stand-in for the budget evaluator's /metrics.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { agentRound } from './dashboards-agent-fixtures.ts';
import type { SpanSpec } from './harness/spans.ts';

type Call = {
  service: string;
  environment: string;
  team: string;
  endpoint: string;
  tenant: string;
  provider: string;
  model: string;
  operation?: string;
  input: number;
  output?: number;
  cacheRead?: number;
  costUsd?: number;
  source: 'usage' | 'estimated' | 'unpriced';
  error?: boolean;
};

function llmSpan(c: Call): SpanSpec {
  const attributes: SpanSpec['attributes'] = {
    'gen_ai.operation.name': c.operation ?? 'chat',
    'gen_ai.provider.name': c.provider,
    'gen_ai.request.model': c.model,
    'gen_ai.usage.input_tokens': c.input,
    'burnrate.cost.source': c.source,
    'burnrate.team': c.team,
    'burnrate.endpoint': c.endpoint,
    'burnrate.tenant': c.tenant,
  };
  if (c.output !== undefined) attributes['gen_ai.usage.output_tokens'] = c.output;
  if (c.cacheRead !== undefined) attributes['gen_ai.usage.cache_read.input_tokens'] = c.cacheRead;
  if (c.costUsd !== undefined) attributes['burnrate.cost.usd'] = c.costUsd;
  return {
    name: `${c.operation ?? 'chat'} ${c.model}`,
    resource: { 'service.name': c.service, 'deployment.environment.name': c.environment },
    attributes,
    status: c.error ? 'error' : 'unset',
  };
}

function vectorSpan(
  {
    service,
    team,
    endpoint,
    tenant,
  }: Omit<Call, 'provider' | 'model' | 'input' | 'source' | 'environment'>,
  environment: string,
  db: string,
  operation: string,
  costUsd?: number,
): SpanSpec {
  return {
    name: `${operation} ${db}`,
    resource: { 'service.name': service, 'deployment.environment.name': environment },
    attributes: {
      'db.system.name': db,
      'db.operation.name': operation,
      'db.collection.name': 'products-2026-11',
      'burnrate.cost.source': costUsd === undefined ? 'unpriced' : 'usage',
      ...(costUsd === undefined ? {} : { 'burnrate.cost.usd': costUsd }),
      'burnrate.team': team,
      'burnrate.endpoint': endpoint,
      'burnrate.tenant': tenant,
    },
  };
}

/**
 * One round of demo traffic: two services in production and staging, OpenAI and Anthropic chat
 * (one with prompt-cache reads), embeddings, a call priced from estimated tokens, an unpriced
 * model, a failing call, Pinecone/Qdrant/Chroma operations, and agent runs in search-api
 * (dashboards-agent-fixtures.ts: a planner → researcher → writer run with a tool, a runaway
 * coder run the breaker marks). Costs are catalog-like prices
 * (gpt-4.1-mini $0.40 / $1.60 per million input / output tokens; claude-sonnet-4-5 $3 input,
 * $0.30 cache read, $15 output; Pinecone $16 per million read units, $4 per million write units).
 */
export function demoRound(): SpanSpec[] {
  const checkout = {
    service: 'checkout-api',
    team: 'payments',
    endpoint: 'POST /v1/checkout',
    tenant: 'acme',
  };
  const search = {
    service: 'search-api',
    team: 'search',
    endpoint: 'GET /v1/search',
    tenant: 'globex',
  };
  const spans: SpanSpec[] = [];
  for (const environment of ['production', 'staging']) {
    spans.push(
      llmSpan({
        ...checkout,
        environment,
        provider: 'openai',
        model: 'gpt-4.1-mini',
        input: 1200,
        output: 300,
        costUsd: 0.00096,
        source: 'usage',
      }),
      llmSpan({
        ...search,
        environment,
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        input: 5000,
        output: 800,
        cacheRead: 4000,
        costUsd: 0.0162,
        source: 'usage',
      }),
      llmSpan({
        ...search,
        environment,
        provider: 'openai',
        model: 'text-embedding-3-small',
        operation: 'embeddings',
        input: 800,
        costUsd: 0.000016,
        source: 'usage',
      }),
      llmSpan({
        ...checkout,
        environment,
        provider: 'openai',
        model: 'gpt-4.1-mini',
        input: 900,
        output: 120,
        costUsd: 0.000552,
        source: 'estimated',
      }),
      llmSpan({
        ...checkout,
        environment,
        provider: 'openai',
        model: 'gpt-4.1-mini',
        input: 700,
        costUsd: 0.00028,
        source: 'estimated',
        error: true,
      }),
      llmSpan({
        ...search,
        environment,
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        input: 3000,
        costUsd: 0.009,
        source: 'estimated',
        error: true,
      }),
      llmSpan({
        ...search,
        environment,
        provider: 'acme',
        model: 'acme-large-2',
        input: 400,
        output: 90,
        source: 'unpriced',
      }),
      vectorSpan(search, environment, 'pinecone', 'query', 0.000016),
      vectorSpan(search, environment, 'qdrant', 'query'),
      vectorSpan(checkout, environment, 'pinecone', 'upsert', 0.00004),
      vectorSpan(search, environment, 'chroma', 'query'),
      ...agentRound({ ...search, environment }),
    );
  }
  return spans;
}

/** Dollars one demo round adds to burnrate_*_cost_usd_total, all series together. */
export function demoRoundCost(): number {
  return demoRound().reduce((sum, s) => sum + Number(s.attributes['burnrate.cost.usd'] ?? 0), 0);
}

/** The UTC start of the next day / month after `now`, Unix seconds (a budget period's end). */
function nextUtc(unit: 'daily' | 'monthly', now: Date): number {
  const d = new Date(now);
  if (unit === 'daily') d.setUTCHours(24, 0, 0, 0);
  else d.setUTCFullYear(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  if (unit === 'monthly') d.setUTCHours(0, 0, 0, 0);
  return d.getTime() / 1000;
}

/**
 * A stand-in for the budget evaluator's /metrics: the burnrate_budget_* gauges for three
 * budgets (one over all spend, one selecting a team, one selecting environment and provider with
 * a limit it would take weeks to reach), spend growing on every scrape, one firing alert, the
 * budgets' info and period ends, and the evaluator's own health gauges.
 */
export async function startBudgetExporter(): Promise<{ target: string; close(): Promise<void> }> {
  const budgets = [
    {
      labels: 'budget="company-monthly"',
      info: 'period="monthly",timezone="UTC",sources="llm,vectordb",enforcement="record"',
      period: 'monthly' as const,
      limit: 1000,
      spend: 120,
    },
    {
      labels: 'budget="search-team-monthly",team="search"',
      info: 'period="monthly",timezone="UTC",sources="llm",enforcement="block"',
      period: 'monthly' as const,
      limit: 200,
      spend: 170,
    },
    {
      labels: 'budget="prod-openai-daily",environment="production",provider="openai"',
      info: 'period="daily",timezone="UTC",sources="llm",enforcement="degrade"',
      period: 'daily' as const,
      limit: 500_000,
      spend: 12,
    },
  ];
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    scrapes++;
    const now = new Date();
    const lines: string[] = [];
    const gauge = (
      name: string,
      help: string,
      value: (b: (typeof budgets)[number]) => number,
      extra: (b: (typeof budgets)[number]) => string = () => '',
    ): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const b of budgets) lines.push(`${name}{${b.labels}${extra(b)}} ${value(b)}`);
    };
    const spend = (b: (typeof budgets)[number]): number => b.spend + scrapes * 0.25;
    gauge('burnrate_budget_limit_usd', 'Budget limit', (b) => b.limit);
    gauge('burnrate_budget_spend_usd', 'Spend this period', spend);
    gauge('burnrate_budget_forecast_usd', 'Forecast spend at period end', (b) => spend(b) * 1.6);
    gauge('burnrate_budget_utilization_ratio', 'Spend / limit', (b) => spend(b) / b.limit);
    gauge(
      'burnrate_budget_info',
      'Budget configuration',
      () => 1,
      (b) => `,${b.info}`,
    );
    gauge('burnrate_budget_period_end_timestamp_seconds', 'Period end', (b) =>
      nextUtc(b.period, now),
    );
    lines.push(
      '# HELP burnrate_budget_alert_firing 1 while a budget threshold fires',
      '# TYPE burnrate_budget_alert_firing gauge',
      'burnrate_budget_alert_firing{budget="search-team-monthly",threshold="0.8",kind="actual",severity="warning"} 1',
      'burnrate_budget_alert_firing{budget="company-monthly",threshold="1",kind="forecast",severity="critical"} 0',
      '# TYPE burnrate_budget_last_success_timestamp_seconds gauge',
      `burnrate_budget_last_success_timestamp_seconds ${Math.floor(now.getTime() / 1000) - 20}`,
      '# TYPE burnrate_budget_data_missing gauge',
      'burnrate_budget_data_missing 0',
      '# TYPE burnrate_budget_configured gauge',
      `burnrate_budget_configured ${budgets.length}`,
      '# TYPE burnrate_budget_evaluation_errors_total counter',
      'burnrate_budget_evaluation_errors_total{reason="prometheus_unreachable"} 0',
      'burnrate_budget_evaluation_errors_total{reason="alertmanager"} 1',
    );
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
