import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  artifactsDir,
  type CollectorHandle,
  diffSeries,
  type ExpectedMetrics,
  expectedMetrics,
  generateTraffic,
  type OtlpRecorder,
  type PrometheusHandle,
  type SpanSpec,
  scrapeCollector,
  sendSpans,
  startCollector,
  startOtlpRecorder,
  startPrometheus,
  sumBy,
  toSeries,
  total,
} from './harness/index.ts';
import { METRICS, monthToDateRules, smallerPerSeries } from './pipeline-support.ts';

// Contract-shaped spans over real OTLP/HTTP (OpenTelemetry JS SDK) through the real Collector
// into a real Prometheus. The spans come through an OTLP recorder, so the expected numbers
// are computed from exactly what the Collector accepted; swap generateTraffic() for the demo
// service by pointing its OTEL_EXPORTER_OTLP_ENDPOINT at recorder.url.

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
    for (const by of [
      ['team'],
      ['environment'],
      ['model'],
      ['endpoint'],
      ['tenant'],
      ['service'],
    ]) {
      const got = toSeries(await prom.query(`sum by (${by}) (burnrate_llm_cost_usd_total)`));
      expect(diffSeries(got, sumBy(want.burnrate_llm_cost_usd_total, by))).toEqual([]);
    }
    const [all] = await prom.query(
      'sum(burnrate_llm_cost_usd_total) + sum(burnrate_vectordb_cost_usd_total)',
    );
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
    const qdrantOps = sumBy(want.burnrate_vectordb_operations_total, ['db_system']);
    const [qdrant] = await prom.query(
      'sum(burnrate_vectordb_operations_total{db_system="qdrant"})',
    );
    expect(qdrant.value).toBe(qdrantOps.get('[["db_system","qdrant"]]')?.value);
    expect(qdrant.value).toBeGreaterThan(0);
    expect(await prom.query('burnrate_vectordb_cost_usd_total{db_system="qdrant"}')).toEqual([]);
  });

  test('labels are exactly the contract, bounded: no ids, raw paths or free text', async () => {
    const names = new Set<string>();
    for (const m of METRICS)
      for (const s of await prom.query(m)) for (const k of Object.keys(s.labels)) names.add(k);
    expect([...names].sort()).toEqual(
      [
        '__name__',
        'cost_source',
        'agent',
        'db_system',
        'endpoint',
        'environment',
        'instance',
        'job',
        'model',
        'operation',
        'outcome',
        'provider',
        'service',
        'team',
        'tenant',
        'token_type',
      ].sort(),
    );
    const endpoints = await prom.query('count by (endpoint) (burnrate_llm_requests_total)');
    for (const e of endpoints) expect(e.labels.endpoint).toMatch(/^\/api\/[a-z/-]+$|^unassigned$/);
    const [series] = await prom.query('count({__name__=~"burnrate_.*"})');
    expect(series.value).toBeLessThan(2000); // bounded by teams x endpoints x models, not by calls
  });
});

describe('retries and restarts', () => {
  test('a batch the Collector refused and the SDK retried is counted once', async () => {
    const before = recorder.requests.length;
    recorder.rejectNext(1);
    const spans = generateTraffic(200, 23);
    await sendSpans(recorder.url, spans); // the OTLP exporter retries the 503
    const requests = recorder.requests.slice(before);
    const refused = requests.filter((r) => r.status === 503);
    expect(refused).toHaveLength(1);
    expect(refused[0].spans).toBeGreaterThan(0);
    expect(requests.filter((r) => r.status === 200).reduce((n, r) => n + r.spans, 0)).toBe(200);
    sent.push(...recorder.spans.slice(sent.length));
    expect(sent.length).toBe(1700);
    await waitForSeries(expectedMetrics(sent));
  });

  test('a Collector restart is a counter reset: nothing lost, nothing counted twice', async () => {
    const before = expectedMetrics(sent);
    const tBefore = Date.now();
    await collector.restart();
    // The new process starts empty: it does not replay what it had counted.
    const fresh = await scrapeCollector(collector.metricsUrl);
    expect(fresh.filter((s) => s.name.startsWith('burnrate_'))).toEqual([]);

    const phaseB = smallerPerSeries(sent, before);
    const from = recorder.spans.length;
    await sendSpans(recorder.url, phaseB);
    const delivered = recorder.spans.slice(from);
    expect(delivered.length).toBe(phaseB.length);
    // After the restart the counters hold phase B only...
    await waitForSeries(expectedMetrics(delivered));
    // ...and before it they held everything up to then.
    for (const m of METRICS) {
      const old = toSeries(await prom.query(`last_over_time(${m}[10m])`, tBefore));
      expect(diffSeries(old, before[m])).toEqual([]);
    }
    sent.push(...delivered);
    const all = expectedMetrics(sent);
    const [resets] = await prom.query('sum(resets(burnrate_llm_cost_usd_total[10m]))');
    expect(resets.value).toBeGreaterThan(0);
    // Month-to-date (deploy/prometheus rules) adds across the reset to the cent.
    const mtd = 'team_environment_model_endpoint:burnrate_llm_cost_usd:month_to_date';
    const wantMtd = sumBy(all.burnrate_llm_cost_usd_total, [
      'team',
      'environment',
      'model',
      'endpoint',
    ]);
    const until = Date.now() + 30_000;
    let mtdProblems: string[] = ['not evaluated yet'];
    while (mtdProblems.length && Date.now() < until) {
      mtdProblems = diffSeries(toSeries(await prom.query(mtd)), wantMtd);
      if (mtdProblems.length) await new Promise((r) => setTimeout(r, 500));
    }
    expect(mtdProblems).toEqual([]);
    const [mtdTotal] = await prom.query(`sum(${mtd})`);
    expect(Math.abs(mtdTotal.value - total(all.burnrate_llm_cost_usd_total))).toBeLessThan(1e-9);
  });
});

describe('latency', () => {
  test('a call’s dollars are queryable in Prometheus within seconds (measured, reported)', async () => {
    const probe = sent.find(
      (s) =>
        s.attributes['burnrate.cost.usd'] !== undefined &&
        s.attributes['gen_ai.operation.name'] !== undefined,
    );
    expect(probe).toBeDefined();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const span: SpanSpec = {
        ...probe!,
        attributes: { ...probe!.attributes, 'burnrate.tenant': `latency-probe-${i}` },
      };
      const t0 = performance.now();
      await sendSpans(recorder.url, [span]);
      await prom.waitFor(
        `burnrate_llm_cost_usd_total{tenant="latency-probe-${i}"}`,
        (s) => s.length === 1,
        {
          intervalMs: 25,
          timeoutMs: 30_000,
        },
      );
      delays.push(performance.now() - t0);
    }
    sent.push(...recorder.spans.slice(sent.length));
    delays.sort((a, b) => a - b);
    const report = {
      what: 'span export start -> cost series queryable in Prometheus',
      settings: 'Collector batch timeout 100ms, Prometheus scrape interval 1s',
      ms: delays.map(Math.round),
      medianMs: Math.round(delays[2]),
      maxMs: Math.round(delays[4]),
    };
    console.log(`[latency] ${JSON.stringify(report)}`);
    writeFileSync(
      join(artifactsDir, 'pipeline-latency.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    // With 1 s scrapes the dollars must be there within a few scrape intervals.
    expect(report.maxMs).toBeLessThan(10_000);
  });
});
