import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  artifactsDir,
  type CollectorHandle,
  diffSeries,
  expectedMetrics,
  type ManagedProcess,
  type OtlpRecorder,
  type PrometheusHandle,
  repoRoot,
  run,
  spawnManaged,
  startCollector,
  startOtlpRecorder,
  startPrometheus,
  sumBy,
  toSeries,
  total,
} from './harness/index.ts';

// The demo service (examples/demo) with only the one import, calling the real openai SDK,
// exporting over real OTLP/HTTP into the real Collector and Prometheus. The recorder in front
// of the Collector keeps the spans that were delivered, so Prometheus is checked against
// exactly those spans' costs.
const node = process.execPath;
let collector: CollectorHandle;
let recorder: OtlpRecorder;
let prom: PrometheusHandle;
let demo: ManagedProcess | undefined;

beforeAll(async () => {
  collector = await startCollector({ batchTimeout: '100ms' });
  recorder = await startOtlpRecorder(collector.otlpHttpUrl);
  prom = await startPrometheus({
    scrapeTargets: [{ job: 'burnrate-collector', targets: [collector.metricsTarget] }],
  });
});

afterAll(async () => {
  await demo?.stop();
  await prom?.stop();
  await recorder?.stop();
  await collector?.stop();
});

test('demo traffic through the one import: Prometheus equals the spans’ costs, in total and per label', async () => {
  demo = spawnManaged(
    'demo',
    node,
    ['--conditions=@burnrate/source', join(repoRoot, 'examples/demo/src/main.ts')],
    {
      env: {
        OTEL_SERVICE_NAME: 'demo',
        BURNRATE_ENVIRONMENT: 'e2e',
        OTEL_EXPORTER_OTLP_ENDPOINT: recorder.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_METRIC_EXPORT_INTERVAL: '500',
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_TRAFFIC: 'false',
      },
    },
  );
  // main.ts prints {"service": URL, "modelApi": URL} once listening.
  let serviceUrl = '';
  const deadline = Date.now() + 60_000;
  while (!serviceUrl && Date.now() < deadline) {
    const m = /"service":"([^"]+)"/.exec(
      existsSync(demo.logFile) ? readFileSync(demo.logFile, 'utf8') : '',
    );
    if (m) serviceUrl = m[1];
    else await new Promise((r) => setTimeout(r, 200));
  }
  expect(serviceUrl, `demo did not start (log: ${demo.logFile})`).not.toBe('');

  const traffic = await run(
    node,
    [
      '--conditions=@burnrate/source',
      join(repoRoot, 'examples/demo/src/traffic.ts'),
      '--url',
      serviceUrl,
      '--requests',
      '120',
    ],
    { timeoutMs: 120_000 },
  );
  expect(traffic.code, traffic.stderr).toBe(0);

  // Wait until the demo's exporter (a BatchSpanProcessor: 5 s schedule) has delivered
  // everything: some spans, then none new for 7 s.
  const until = Date.now() + 60_000;
  let count = 0;
  let quietSince = Date.now();
  while (Date.now() < until) {
    if (recorder.spans.length !== count) {
      count = recorder.spans.length;
      quietSince = Date.now();
    } else if (count > 0 && Date.now() - quietSince > 7_000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(recorder.requests.every((r) => r.status === 200)).toBe(true);
  const spans = recorder.spans;
  const want = expectedMetrics(spans);
  const priced = spans.filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
  expect(priced.length).toBeGreaterThan(50);
  expect(want.burnrate_llm_cost_usd_total.size).toBeGreaterThanOrEqual(4);

  for (const m of [
    'burnrate_llm_cost_usd_total',
    'burnrate_llm_tokens_total',
    'burnrate_llm_requests_total',
  ] as const) {
    await prom.waitFor(m, (s) => diffSeries(toSeries(s), want[m]).length === 0, {
      timeoutMs: 30_000,
    });
  }
  for (const by of [
    ['team'],
    ['endpoint'],
    ['model'],
    ['environment'],
    ['team', 'endpoint', 'model'],
  ]) {
    const got = toSeries(await prom.query(`sum by (${by}) (burnrate_llm_cost_usd_total)`));
    expect(diffSeries(got, sumBy(want.burnrate_llm_cost_usd_total, by))).toEqual([]);
  }
  const [sum] = await prom.query('sum(burnrate_llm_cost_usd_total)');
  const spanSum = priced.reduce((t, s) => t + Number(s.attributes['burnrate.cost.usd']), 0);
  expect(Math.abs(sum.value - spanSum)).toBeLessThan(1e-9);
  expect(Math.abs(sum.value - total(want.burnrate_llm_cost_usd_total))).toBeLessThan(1e-9);
  // The demo's route templates and teams, never raw paths (/api/documents/doc-123/summary).
  const endpoints = (await prom.query('count by (endpoint) (burnrate_llm_requests_total)')).map(
    (s) => s.labels.endpoint,
  );
  expect(endpoints).toContain('/api/documents/:id/summary');
  expect(endpoints.some((e) => /doc-\d+/.test(e))).toBe(false);
  const environments = (
    await prom.query('count by (environment) (burnrate_llm_requests_total)')
  ).map((s) => s.labels.environment);
  expect(environments).toEqual(['e2e']);

  // The research flow (OpenAI Agents SDK, examples/demo/src/research.ts) in the Agents metrics:
  // spend by agent (checked with every label above), runs, tools, steps and breaker trips.
  const attr = (k: string) => (x: (typeof spans)[number]) => x.attributes[k];
  const sumOf = (xs: typeof spans, k: string) => xs.reduce((t, x) => t + Number(attr(k)(x)), 0);
  const runs = spans.filter((x) => attr('gen_ai.operation.name')(x) === 'invoke_agent');
  const tools = priced.filter((x) => attr('gen_ai.tool.name')(x) !== undefined);
  const steps = spans.filter(
    (x) =>
      attr('burnrate.cost.source')(x) !== undefined &&
      attr('burnrate.run.step')(x) !== undefined &&
      attr('gen_ai.usage.input_tokens')(x) !== undefined,
  );
  const trips = spans.filter((x) => attr('burnrate.breaker.kind')(x) !== undefined);
  expect(runs.length).toBeGreaterThan(0);
  expect(new Set(runs.map(attr('gen_ai.agent.name')))).toEqual(new Set(['planner']));
  expect(new Set(tools.map(attr('gen_ai.tool.name')))).toEqual(new Set(['web_search']));
  expect(
    new Set(
      trips.map(
        (x) =>
          `${attr('gen_ai.agent.name')(x)} ${attr('burnrate.breaker.kind')(x)} ${attr('burnrate.breaker.mode')(x)}`,
      ),
    ),
  ).toEqual(new Set(['writer steps record']));
  const one = async (q: string): Promise<number> => (await prom.query(q))[0]?.value ?? 0;
  await prom.waitFor('sum(burnrate_agent_run_calls_count)', (x) => x[0]?.value === runs.length, {
    timeoutMs: 30_000,
  });
  expect(await one('sum(burnrate_agent_run_calls_sum)')).toBe(sumOf(runs, 'burnrate.run.calls'));
  expect(await one('sum(burnrate_agent_run_cost_usd_sum)')).toBeCloseTo(
    sumOf(runs, 'burnrate.run.cost_usd'),
    9,
  );
  expect(await one('sum(burnrate_agent_tool_cost_usd_total)')).toBeCloseTo(
    sumOf(tools, 'burnrate.cost.usd'),
    9,
  );
  expect(await one('sum(burnrate_agent_step_input_tokens_count)')).toBe(steps.length);
  expect(
    await one(
      'sum(burnrate_agent_breaker_trips_total{agent="writer", kind="steps", mode="record"})',
    ),
  ).toBe(trips.length);
  const agents = (await prom.query('count by (agent) (burnrate_llm_cost_usd_total)')).map(
    (x) => x.labels.agent,
  );
  expect(agents.sort()).toEqual(['planner', 'researcher', 'unassigned', 'writer']);

  // From one real call to its dollars being queryable: the app's metric export interval
  // (OTEL_METRIC_EXPORT_INTERVAL, 500 ms here; 10 s by default) + the Collector's batch + one
  // Prometheus scrape (1 s here).
  const [before] = await prom.query('sum(burnrate_llm_requests_total)');
  const t0 = performance.now();
  const res = await fetch(`${serviceUrl}/api/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ q: 'latency probe' }),
  });
  await res.arrayBuffer();
  await prom.waitFor('sum(burnrate_llm_requests_total)', (s) => s[0]?.value > before.value, {
    intervalMs: 50,
    timeoutMs: 30_000,
  });
  const ms = Math.round(performance.now() - t0);
  console.log(
    `[latency] demo call -> dollars queryable in Prometheus: ${ms} ms (metric export 500 ms, scrape 1 s)`,
  );
  writeFileSync(
    join(artifactsDir, 'pipeline-demo-latency.json'),
    `${JSON.stringify({ ms }, null, 2)}\n`,
  );
  expect(ms).toBeLessThan(20_000);
}, 240_000);
