import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CollectorHandle,
  type PrometheusHandle,
  type SpanSpec,
  sendSpans,
  startCollector,
  startPrometheus,
} from './harness/index.ts';

// Agents through the real Collector and Prometheus (collector/otelcol.yaml, our distribution with
// the labelcap processor): model-call spans with agents, tools and run steps, and the run spans
// @burnrate/auto emits, become the `agent` label, the run/step histograms, the tool-cost and
// breaker counters; metered spans feed the breakdowns but not the cost counters; a run span is
// never spend. Bad run values and the Collector's label caps: pipeline-agents-limits.test.ts.

const APP = { 'service.name': 'agents-app', 'deployment.environment.name': 'test' };
const RUN_COST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const RUN_CALLS_BUCKETS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128];

type Call = {
  agent: string;
  tool?: string;
  step: number;
  input: number;
  cost: number;
  metered: boolean;
};
type Run = { agent: string; cost: number; calls: number };

const RUNS: [agent: string, calls: number][] = [
  ['planner', 3],
  ['planner', 5],
  ['researcher', 1],
  ['researcher', 8],
  ['writer', 2],
  ['looper', 40],
];

const calls: Call[] = [];
const runs: Run[] = [];
const spans: SpanSpec[] = [];
let n = 0;
for (const [r, [agent, count]] of RUNS.entries()) {
  let runCost = 0;
  for (let step = 1; step <= count; step++) {
    n++;
    const call: Call = {
      agent,
      step,
      tool: step % 2 === 0 ? 'web_search' : step % 3 === 0 ? 'calculator' : undefined,
      input: 300 * step + 17 * r,
      cost: 0.000731 * step + 0.0000137 * n + 1e-9 * (r + 1),
      metered: n % 3 === 0,
    };
    calls.push(call);
    runCost += call.cost;
    spans.push({
      name: 'chat gpt-4o-mini',
      resource: APP,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': call.input,
        'gen_ai.usage.output_tokens': 40,
        'burnrate.cost.usd': call.cost,
        'burnrate.cost.source': 'usage',
        'burnrate.team': 'research',
        'gen_ai.agent.name': agent,
        'gen_ai.conversation.id': `conversation-${r}`,
        'session.id': `session-${r}`,
        'burnrate.run.id': `run-${r}`,
        'burnrate.run.step': step,
        ...(call.tool ? { 'gen_ai.tool.name': call.tool } : {}),
        ...(call.metered ? { 'burnrate.metered': true } : {}),
        // The last call of the runaway loop is marked by the steps breaker (record mode).
        ...(agent === 'looper' && step === count
          ? { 'burnrate.breaker.kind': 'steps', 'burnrate.breaker.mode': 'record' }
          : {}),
      },
    });
  }
  runs.push({ agent, cost: runCost, calls: count });
  spans.push({
    name: `invoke_agent ${agent}`,
    resource: APP,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': agent,
      'burnrate.run.id': `run-${r}`,
      'burnrate.run.cost_usd': runCost,
      'burnrate.run.calls': count,
      'burnrate.run.unpriced_calls': 0,
      'burnrate.run.input_tokens': 1000,
      'burnrate.run.output_tokens': 40 * count,
      'burnrate.team': 'research',
    },
  });
}
// Refused calls (enforce): no price, no cost source; one with a kind the pipeline does not know.
const refused = (agent: string, kind: string, mode: string): SpanSpec => ({
  name: 'chat gpt-4o-mini',
  resource: APP,
  status: 'error',
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.agent.name': agent,
    'burnrate.breaker.kind': kind,
    'burnrate.breaker.mode': mode,
    'burnrate.breaker.limit': 3,
    'burnrate.breaker.value': 3,
  },
});
spans.push(refused('looper', 'loop', 'enforce'), refused('planner', 'velocity', 'enforce'));
spans.push(refused('writer', 'nonsense', 'sometimes'));

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const close = (got: number, want: number, tol = 1e-9) => Math.abs(got - want) <= tol;

let collector: CollectorHandle;
let prom: PrometheusHandle;
const one = async (q: string): Promise<number> => (await prom.query(q))[0]?.value ?? Number.NaN;
const byLabel = async (q: string, label: string): Promise<Map<string, number>> =>
  new Map((await prom.query(q)).map((s) => [s.labels[label], s.value]));

beforeAll(async () => {
  collector = await startCollector({ batchTimeout: '50ms' });
  prom = await startPrometheus({ scrapeTargets: [collector.metricsTarget] });
  await sendSpans(collector.otlpHttpUrl, spans);
  const want = sum(calls.filter((c) => !c.metered).map((c) => c.cost));
  await prom.waitFor('sum(burnrate_llm_cost_usd_total)', (s) => close(s[0]?.value ?? 0, want), {
    timeoutMs: 30_000,
  });
  await prom.waitFor('count(burnrate_agent_breaker_trips_total)', (s) => s[0]?.value === 4);
  await prom.waitFor('sum(burnrate_agent_run_calls_count)', (s) => s[0]?.value === RUNS.length);
});
afterAll(async () => {
  await prom?.stop();
  await collector?.stop();
});

describe('agent attribution through the real pipeline', () => {
  test('cost by agent: exact per agent, only the unmetered model calls (a run span is never spend)', async () => {
    const got = await byLabel(
      'sum by (agent) (burnrate_llm_cost_usd_total{service="agents-app"})',
      'agent',
    );
    expect([...got.keys()].sort()).toEqual(['looper', 'planner', 'researcher', 'writer']);
    for (const [agent, value] of got) {
      const want = sum(calls.filter((c) => c.agent === agent && !c.metered).map((c) => c.cost));
      expect(close(value, want), `${agent}: ${value} vs ${want}`).toBe(true);
    }
    const requests = await one('sum(burnrate_llm_requests_total{service="agents-app"})');
    expect(requests).toBe(calls.filter((c) => !c.metered).length);
    expect(await prom.query('burnrate_llm_requests_total{operation="invoke_agent"}')).toEqual([]);
    const tokens = await byLabel(
      'sum by (agent) (burnrate_llm_tokens_total{service="agents-app",token_type="input"})',
      'agent',
    );
    expect(tokens.get('looper')).toBe(
      sum(calls.filter((c) => c.agent === 'looper' && !c.metered).map((c) => c.input)),
    );
    // Session, conversation and run ids never become labels.
    const labels = Object.keys(
      (await prom.query('burnrate_llm_cost_usd_total{service="agents-app"}'))[0].labels,
    );
    expect(labels.filter((l) => /session|conversation|run|step/.test(l))).toEqual([]);
  });

  test('run cost and calls histograms: _count, _sum and every bucket exact, by agent', async () => {
    for (const [metric, value, bounds] of [
      ['burnrate_agent_run_cost_usd', (r: Run) => r.cost, RUN_COST_BUCKETS],
      ['burnrate_agent_run_calls', (r: Run) => r.calls, RUN_CALLS_BUCKETS],
    ] as const) {
      const series = await prom.query(`${metric}_count{service="agents-app"}`);
      const { job, instance, ...labels } = series[0].labels;
      expect(Object.keys(labels).sort()).toEqual([
        '__name__',
        'agent',
        'environment',
        'service',
        'team',
      ]);
      const counts = await byLabel(`${metric}_count{service="agents-app"}`, 'agent');
      const sums = await byLabel(`${metric}_sum{service="agents-app"}`, 'agent');
      for (const agent of ['planner', 'researcher', 'writer', 'looper']) {
        const mine = runs.filter((r) => r.agent === agent);
        expect(counts.get(agent), `${metric} ${agent}`).toBe(mine.length);
        expect(close(sums.get(agent) ?? Number.NaN, sum(mine.map(value)), 1e-12)).toBe(true);
        const buckets = await prom.query(`${metric}_bucket{service="agents-app",agent="${agent}"}`);
        expect(buckets.length).toBe(bounds.length + 1);
        for (const b of buckets) {
          const le = b.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(b.labels.le);
          expect(b.value, `${metric} ${agent} le=${b.labels.le}`).toBe(
            mine.filter((r) => value(r) <= le).length,
          );
        }
      }
    }
  });

  test('input tokens by step: the power-of-two step label, metered calls included', async () => {
    const step = (s: number) => (s >= 32 ? '32+' : String(2 ** Math.floor(Math.log2(s))));
    expect([step(1), step(3), step(5), step(7), step(16), step(31), step(40)]).toEqual([
      '1',
      '2',
      '4',
      '4',
      '16',
      '16',
      '32+',
    ]);
    const counts = await byLabel(
      'burnrate_agent_step_input_tokens_count{service="agents-app",agent="looper"}',
      'step',
    );
    expect(Object.fromEntries(counts)).toEqual({
      '1': 1,
      '2': 2,
      '4': 4,
      '8': 8,
      '16': 16,
      '32+': 9,
    });
    const all = await prom.query('burnrate_agent_step_input_tokens_sum{service="agents-app"}');
    for (const s of all) {
      const want = sum(
        calls
          .filter((c) => c.agent === s.labels.agent && step(c.step) === s.labels.step)
          .map((c) => c.input),
      );
      expect(s.value, JSON.stringify(s.labels)).toBe(want);
    }
    expect(sum(all.map((s) => s.value))).toBe(sum(calls.map((c) => c.input)));
    const looper = calls.filter((c) => c.agent === 'looper');
    for (const [le, want] of [
      ['1024', looper.filter((c) => c.input <= 1024 && c.step >= 2 && c.step < 4).length],
    ] as const) {
      expect(
        await one(`burnrate_agent_step_input_tokens_bucket{agent="looper",step="2",le="${le}"}`),
      ).toBe(want);
    }
  });

  test('tool cost: every priced call made inside a tool, metered or not, by agent and tool', async () => {
    const series = await prom.query('burnrate_agent_tool_cost_usd_total{service="agents-app"}');
    const keys = series.map((s) => `${s.labels.agent}/${s.labels.tool}`).sort();
    const want = [
      ...new Set(calls.filter((c) => c.tool).map((c) => `${c.agent}/${c.tool}`)),
    ].sort();
    expect(keys).toEqual(want);
    for (const s of series) {
      const mine = calls.filter((c) => c.agent === s.labels.agent && c.tool === s.labels.tool);
      expect(
        close(s.value, sum(mine.map((c) => c.cost))),
        `${s.labels.agent}/${s.labels.tool}`,
      ).toBe(true);
      expect(s.labels.team).toBe('research');
    }
    expect(calls.some((c) => c.tool && c.metered)).toBe(true);
  });

  test('breaker trips: one per marked or refused call, by agent, kind and mode', async () => {
    const trips = (await prom.query('burnrate_agent_breaker_trips_total')).map(
      (s) => `${s.labels.service} ${s.labels.agent} ${s.labels.kind} ${s.labels.mode} ${s.value}`,
    );
    expect(trips.sort()).toEqual([
      'agents-app looper loop enforce 1',
      'agents-app looper steps record 1',
      'agents-app planner velocity enforce 1',
      'agents-app writer unknown unknown 1',
    ]);
  });
});
