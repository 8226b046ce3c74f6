import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  type CollectorHandle,
  otlp,
  type PrometheusHandle,
  parseExposition,
  postOtlpJson,
  type RawValue,
  type SpanSpec,
  sendSpans,
  startCollector,
  startPrometheus,
} from './harness/index.ts';

// The agent metrics' limits through the real Collector and Prometheus: a run span with a bad
// cost or call count (as only a raw sender writes them) is in no histogram and is counted as
// invalid; and the Collector's label cap (our labelcap processor) keeps the first 50 agents
// (BURNRATE_MAX_AGENTS) and, set by env here, 3 tools per service, every dollar still counted.

const MANY = { 'service.name': 'agents-many', 'deployment.environment.name': 'test' };
// 60 distinct agents, 5 distinct tools, in one service.
const many: SpanSpec[] = Array.from({ length: 60 }, (_, i) => ({
  name: 'chat gpt-4o-mini',
  resource: MANY,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 100,
    'burnrate.cost.usd': 0.00123 + i * 1.7e-7,
    'burnrate.cost.source': 'usage',
    'gen_ai.agent.name': `agent-${String(i).padStart(2, '0')}`,
    'gen_ai.tool.name': `tool-${i % 5}`,
  },
}));
// Another service has its own room: an agent folded in agents-many is kept here.
const few: SpanSpec = {
  ...many[55],
  resource: { 'service.name': 'agents-few', 'deployment.environment.name': 'test' },
};

const cost = (s: SpanSpec): number => Number(s.attributes['burnrate.cost.usd']);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const close = (got: number, want: number) => Math.abs(got - want) <= 1e-9;

let collector: CollectorHandle;
let prom: PrometheusHandle;
const byLabel = async (q: string, label: string): Promise<Record<string, number>> =>
  Object.fromEntries((await prom.query(q)).map((s) => [s.labels[label], s.value]));

beforeAll(async () => {
  collector = await startCollector({ batchTimeout: '50ms', env: { BURNRATE_MAX_TOOLS: '3' } });
  prom = await startPrometheus({ scrapeTargets: [collector.metricsTarget] });
  await sendSpans(collector.otlpHttpUrl, [...many, few]);
  const run = (agent: string, cost: RawValue, calls: RawValue = otlp.int(2)) => ({
    name: `invoke_agent ${agent}`,
    resource: { 'service.name': 'agents-bad', 'deployment.environment.name': 'test' },
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': agent,
      'burnrate.run.cost_usd': cost,
      'burnrate.run.calls': calls,
    },
  });
  await postOtlpJson(collector.otlpHttpUrl, [
    run('nan', otlp.double(Number.NaN)),
    run('infinite', otlp.double(Number.POSITIVE_INFINITY)),
    run('negative', otlp.double(-0.5)),
    run('text', otlp.str('0.5')),
    run('fractional', otlp.double(0.5), otlp.double(2.5)),
    run('negative-calls', otlp.double(0.5), otlp.int(-1)),
    run('good', otlp.double(0.25)),
  ]);
  const want = sum([...many, few].map(cost));
  await prom.waitFor('sum(burnrate_llm_cost_usd_total)', (s) => close(s[0]?.value ?? 0, want), {
    timeoutMs: 30_000,
  });
  await prom.waitFor(
    'sum(burnrate_invalid_spans_total{service="agents-bad"})',
    (s) => s[0]?.value === 6,
  );
});
afterAll(async () => {
  await prom?.stop();
  await collector?.stop();
});

test('a NaN, infinite, negative, text or fractional run value is in no histogram; counted as invalid', async () => {
  for (const m of ['burnrate_agent_run_cost_usd_count', 'burnrate_agent_run_calls_count']) {
    expect(await byLabel(`${m}{service="agents-bad"}`, 'agent')).toEqual({ good: 1 });
  }
  expect(await byLabel('burnrate_agent_run_cost_usd_sum', 'agent')).toEqual({ good: 0.25 });
  expect(await byLabel('burnrate_agent_run_calls_sum', 'agent')).toEqual({ good: 2 });
  expect(await byLabel('burnrate_invalid_spans_total{service="agents-bad"}', 'reason')).toEqual({
    cost_not_finite: 2,
    cost_negative: 1,
    cost_not_number: 1,
    calls_invalid: 2,
  });
  // A run span is never spend, valid or not.
  expect(await prom.query('burnrate_llm_requests_total{service="agents-bad"}')).toEqual([]);
});

test('one service, 60 agents and 5 tools: the first 50 agents and 3 tools kept, the rest `other`, dollars exact', async () => {
  const agents = await byLabel(
    'sum by (agent) (burnrate_llm_cost_usd_total{service="agents-many"})',
    'agent',
  );
  const kept = many.slice(0, 50).map((s) => String(s.attributes['gen_ai.agent.name']));
  expect(Object.keys(agents).sort()).toEqual([...kept, 'other'].sort());
  expect(close(agents.other, sum(many.slice(50).map(cost)))).toBe(true);
  expect(close(sum(Object.values(agents)), sum(many.map(cost)))).toBe(true);
  const requests = await byLabel(
    'sum by (agent) (burnrate_llm_requests_total{service="agents-many"})',
    'agent',
  );
  expect(requests.other).toBe(10);

  const tools = await byLabel(
    'sum by (tool) (burnrate_agent_tool_cost_usd_total{service="agents-many"})',
    'tool',
  );
  expect(Object.keys(tools).sort()).toEqual(['other', 'tool-0', 'tool-1', 'tool-2']);
  const byTool = (t: string) => many.filter((s) => s.attributes['gen_ai.tool.name'] === t);
  expect(close(tools.other, sum([...byTool('tool-3'), ...byTool('tool-4')].map(cost)))).toBe(true);
  expect(close(sum(Object.values(tools)), sum(many.map(cost)))).toBe(true);

  // Services do not share a cap: agent-55 is `other` in agents-many, itself in agents-few.
  expect(
    await byLabel('sum by (agent) (burnrate_llm_cost_usd_total{service="agents-few"})', 'agent'),
  ).toEqual({ 'agent-55': cost(few) });

  // The Collector counts what it folded in its own telemetry.
  const res = await fetch(`http://${collector.telemetryTarget}/metrics`);
  const folded = parseExposition(await res.text()).filter(
    (s) => s.name === 'otelcol_labelcap_folded',
  );
  expect(Object.fromEntries(folded.map((s) => [s.labels.label, s.value]))).toEqual({
    agent: 10,
    tool: 24,
  });
});
