import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CollectorHandle,
  diffSeries,
  type ExpectedMetrics,
  expectedMetrics,
  generateTraffic,
  type OtlpRecorder,
  type PrometheusHandle,
  scrapeCollector,
  type SpanSpec,
  sendSpans,
  startCollector,
  startOtlpRecorder,
  startPrometheus,
  sumBy,
  toSeries,
  total,
} from './harness/index.ts';
import { monthToDateRules } from './pipeline-support.ts';

// Contract-shaped spans over real OTLP/HTTP (OpenTelemetry JS SDK) through the real Collector
// into a real Prometheus. The spans come through an OTLP recorder, so the expected numbers
// are computed from exactly what the Collector accepted; swap generateTraffic() for the demo
// service by pointing its OTEL_EXPORTER_OTLP_ENDPOINT at recorder.url.
const METRICS = [
  'burnrate_llm_cost_usd_total',
  'burnrate_llm_tokens_total',
  'burnrate_llm_requests_total',
  'burnrate_vectordb_operations_total',
  'burnrate_vectordb_cost_usd_total',
] as const;

let collector: CollectorHandle;
let recorder: OtlpRecorder;
let prom: PrometheusHandle;
const rules = monthToDateRules();

beforeAll(async () => {
  collector = await startCollector({ batchTimeout: '100ms' });
  recorder = await startOtlpRecorder(collector.otlpHttpUrl);
  prom = await startPrometheus({
    scrapeTargets: [{ job: 'burnrate-collector', targets: [collector.metricsTarget] }],
    ruleFiles: [rules.file],
    scrapeIntervalSeconds: 1,
    evaluationIntervalSeconds: rules.intervalSeconds,
  });
});

afterAll(async () => {
  await prom?.stop();
  await recorder?.stop();
  await collector?.stop();
  rules.remove();
});

/** Waits until Prometheus holds `want` for every metric (all series, to 1e-9). */
async function waitForSeries(want: ExpectedMetrics, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let problems: string[] = [];
  while (Date.now() < deadline) {
    problems = [];
    for (const m of METRICS) {
      problems.push(...diffSeries(toSeries(await prom.query(m)), want[m]).map((p) => `${m} ${p}`));
    }
    if (problems.length === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Prometheus never matched the spans:\n${problems.slice(0, 20).join('\n')}`);
}

const sent: SpanSpec[] = [];

describe('spans to dollars in Prometheus', () => {
  test('every counter equals the sum over the spans, per label set, to 1e-9 dollars', async () => {
    const spans = generateTraffic(1500, 11);
    await sendSpans(recorder.url, spans);
    expect(recorder.spans.length).toBe(spans.length);
    sent.push(...recorder.spans);
    const want = expectedMetrics(sent);
    expect(total(want.burnrate_llm_cost_usd_total)).toBeGreaterThan(1);
    await waitForSeries(want);

    // The same, summed the way dashboards and budgets read it.
    for (const by of [['team'], ['environment'], ['model'], ['endpoint'], ['tenant'], ['service']]) {
      const got = toSeries(await prom.query(`sum by (${by}) (burnrate_llm_cost_usd_total)`));
      expect(diffSeries(got, sumBy(want.burnrate_llm_cost_usd_total, by))).toEqual([]);
    }
    const [all] = await prom.query('sum(burnrate_llm_cost_usd_total) + sum(burnrate_vectordb_cost_usd_total)');
    const spanTotal = sent.reduce((t, s) => t + Number(s.attributes['burnrate.cost.usd'] ?? 0), 0);
    expect(Math.abs(all.value - spanTotal)).toBeLessThan(1e-9);
  });

  test('only spans Burnrate priced are counted; unpriced calls count as requests, never as $0', async () => {
    const want = expectedMetrics(sent);
    const priced = sent.filter((s) => s.attributes['burnrate.cost.source'] !== undefined);
    const genAi = sent.filter((s) => s.attributes['gen_ai.operation.name'] !== undefined);
    const [requests] = await prom.query('sum(burnrate_llm_requests_total)');
    const pricedLlm = priced.filter((s) => s.attributes['gen_ai.operation.name'] !== undefined);
    expect(requests.value).toBe(pricedLlm.length);
    expect(requests.value).toBeLessThan(genAi.length); // GenAI spans Burnrate did not price
    const unpricedModel = 'ft:gpt-4o-mini:acme:custom';
    expect(await prom.query(`burnrate_llm_cost_usd_total{model="${unpricedModel}"}`)).toEqual([]);
    const [unpriced] = await prom.query(
      `sum(burnrate_llm_requests_total{model="${unpricedModel}", cost_source="unpriced"})`,
    );
    expect(unpriced.value).toBeGreaterThan(0);
    const [vectorUnpriced] = await prom.query('sum(burnrate_vectordb_operations_total{db_system="qdrant"})');
    expect(vectorUnpriced.value).toBe(total(sumBy(want.burnrate_vectordb_operations_total, ['db_system'])) - (await pineconeAndChromaOps()));
    expect(await prom.query('burnrate_vectordb_cost_usd_total{db_system="qdrant"}')).toEqual([]);
  });

  test('labels are exactly the contract, bounded: no ids, raw paths or free text', async () => {
    const names = new Set<string>();
    for (const m of METRICS) for (const s of await prom.query(m)) for (const k of Object.keys(s.labels)) names.add(k);
    expect([...names].sort()).toEqual(
      [
        '__name__', 'cost_source', 'db_system', 'endpoint', 'environment', 'instance', 'job', 'model',
        'operation', 'outcome', 'provider', 'service', 'team', 'tenant', 'token_type',
      ].sort(),
    );
    const endpoints = await prom.query('count by (endpoint) (burnrate_llm_requests_total)');
    for (const e of endpoints) expect(e.labels.endpoint).toMatch(/^\/api\/[a-z/-]+$|^unassigned$/);
    const [series] = await prom.query('count({__name__=~"burnrate_.*"})');
    expect(series.value).toBeLessThan(2000); // bounded by teams x endpoints x models, not by calls
  });
});

async function pineconeAndChromaOps(): Promise<number> {
  const [r] = await prom.query('sum(burnrate_vectordb_operations_total{db_system!="qdrant"})');
  return r?.value ?? 0;
}
