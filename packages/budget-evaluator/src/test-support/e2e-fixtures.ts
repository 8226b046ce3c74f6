// Fixtures of the end-to-end test (test/budget-evaluator.test.ts).

type Attrs = Record<string, string | number | boolean>;
export interface DemoSpan {
  name: string;
  resource: Attrs;
  attributes: Attrs;
}

/**
 * A fixed-offset time zone ("+HH:MM", accepted by Intl) whose local midnight falls at the
 * minute-aligned instant `at`, so a daily budget rolls over at a chosen moment.
 */
export function offsetZoneWithMidnightAt(at: number): string {
  const day = 86_400_000;
  if (at % 60_000 !== 0) throw new Error('offsetZoneWithMidnightAt: not a whole minute');
  const offsetMin = ((day - (at % day)) % day) / 60_000;
  if (offsetMin === 0) return 'UTC';
  const hh = String(Math.floor(offsetMin / 60)).padStart(2, '0');
  const mm = String(offsetMin % 60).padStart(2, '0');
  return `+${hh}:${mm}`;
}

/** Alertmanager for tests: one webhook, one group per alert, sent fast, never repeated. */
export function alertmanagerConfig(webhookUrl: string): string {
  return JSON.stringify({
    route: {
      receiver: 'webhook',
      group_by: ['alertname', 'budget', 'threshold', 'kind'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [{ name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  });
}

// OpenAI's list price for gpt-4o (https://openai.com/api/pricing): $2.50 per 1M input tokens,
// $10.00 per 1M output tokens. 100,000 in + 25,000 out = $0.25 + $0.25 = $0.50 a call.
const GPT4O_CALL = { input: 100_000, output: 25_000, usd: 0.5 };
const DEMO_RESOURCE = {
  'service.name': 'demo-api',
  'deployment.environment.name': 'production',
  'burnrate.team': 'demo',
};

/** Contract-shaped spans: gpt-4o calls ($0.50), Qdrant queries ($0.25), another team's calls. */
export function demoSpans(opts: {
  llmSpans: number;
  vectorSpans: number;
  otherTeamSpans: number;
}): DemoSpan[] {
  const spans: DemoSpan[] = [];
  const llm = (resource: Attrs): DemoSpan => ({
    name: 'chat gpt-4o',
    resource,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': GPT4O_CALL.input,
      'gen_ai.usage.output_tokens': GPT4O_CALL.output,
      'burnrate.cost.usd': GPT4O_CALL.usd,
      'burnrate.cost.input_usd': 0.25,
      'burnrate.cost.output_usd': 0.25,
      'burnrate.cost.source': 'usage',
      'burnrate.pricing.model': 'gpt-4o',
      'burnrate.endpoint': '/api/answer',
    },
  });
  for (let i = 0; i < opts.llmSpans; i++) spans.push(llm(DEMO_RESOURCE));
  for (let i = 0; i < opts.vectorSpans; i++) {
    spans.push({
      name: 'query demo-docs',
      resource: DEMO_RESOURCE,
      attributes: {
        'db.system.name': 'qdrant',
        'db.operation.name': 'query',
        'db.collection.name': 'demo-docs',
        'burnrate.cost.usd': 0.25,
        'burnrate.cost.source': 'estimated',
        'burnrate.endpoint': '/api/answer',
      },
    });
  }
  for (let i = 0; i < opts.otherTeamSpans; i++) {
    spans.push(llm({ ...DEMO_RESOURCE, 'service.name': 'other-api', 'burnrate.team': 'other' }));
  }
  return spans;
}
