import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  diffSeries,
  expectedMetrics,
  makeTempDir,
  otlp,
  postOtlpJson,
  type RawSpan,
  repoRoot,
  type SpanSpec,
  sendSpans,
  startCollector,
  startPrometheus,
  toSeries,
} from './harness/index.ts';
import { METRICS } from './pipeline-support.ts';

// The cardinality safety net for senders that are not the SDK (which folds overflow values
// into `other` itself): a raw OTLP sender floods the Collector with 20,000 distinct tenant and
// endpoint values in about a second. The Collector tracks at most BURNRATE_MAX_SERIES (10,000
// by default) series, stays under 200 MB, counts what it dropped in its own telemetry, the
// shipped BurnrateCollectorSeriesLimit alert fires, and series it already tracked keep
// counting to the cent.

const MAX_SERIES = 10_000; // collector/otelcol.yaml's default
const FLOOD = 20_000;
const MB = 2 ** 20;

/** The shipped alert rules, evaluated every second with no `for` delay. */
function fastAlertRules(): string {
  const text = readFileSync(join(repoRoot, 'deploy/prometheus/rules/burnrate-alerts.yml'), 'utf8');
  const fast = text
    .replace(/interval: \d+[smh]/g, 'interval: 1s')
    .replace(/for: \d+[smh]/g, 'for: 0s');
  const file = join(makeTempDir('alert-rules'), 'burnrate-alerts.yml');
  writeFileSync(file, fast);
  return file;
}

function sdkSpan(tenant: string, cost: number): SpanSpec {
  return {
    resource: { 'service.name': 'checkout', 'deployment.environment.name': 'production' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'burnrate.cost.usd': cost,
      'burnrate.cost.source': 'usage',
      'burnrate.team': 'payments',
      'burnrate.tenant': tenant,
      'burnrate.endpoint': '/api/checkout/assist',
    },
  };
}

/** A foreign sender's span: a new tenant and endpoint every time (4 new series each). */
function floodSpan(i: number): RawSpan {
  return {
    name: 'chat',
    resource: { 'service.name': 'foreign-sender', 'deployment.environment.name': 'production' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': otlp.int(50),
      'gen_ai.usage.output_tokens': otlp.int(10),
      'burnrate.cost.usd': otlp.double(0.0001),
      'burnrate.cost.source': 'usage',
      'burnrate.tenant': `user-${i}`,
      'burnrate.endpoint': `/api/items/${i}`,
    },
  };
}

test('a raw OTLP flood of 20,000 tenants: series capped at BURNRATE_MAX_SERIES, Collector under 200 MB, the drop counted and alerted, tracked series still exact', async () => {
  // The Collector's own label caps (labelcap) would fold this flood long before the series
  // limit: raised here, so the limit behind them is what is tested.
  const collector = await startCollector({
    env: { BURNRATE_MAX_TENANTS: '1000000', BURNRATE_MAX_ENDPOINTS: '1000000' },
  });
  const prom = await startPrometheus({
    scrapeTargets: [
      { job: 'burnrate-collector', targets: [collector.metricsTarget] },
      { job: 'burnrate-collector-telemetry', targets: [collector.telemetryTarget] },
    ],
    ruleFiles: [fastAlertRules()],
  });
  try {
    const one = (q: string) => prom.query(q).then((s) => s[0]?.value ?? 0);
    // Normal traffic first: its series are tracked before the flood.
    const before = ['acme', 'globex', 'initech'].flatMap((t, i) => [
      sdkSpan(t, 0.0123 * (i + 1)),
      sdkSpan(t, 0.5),
    ]);
    await sendSpans(collector.otlpHttpUrl, before);
    const wantBefore = expectedMetrics(before);
    await prom.waitFor(
      'burnrate_llm_cost_usd_total',
      (s) => diffSeries(toSeries(s), wantBefore.burnrate_llm_cost_usd_total).length === 0,
    );
    const tracked = await prom.waitFor(
      'otelcol_deltatocumulative_streams_tracked',
      (s) => s[0]?.value > 0,
    );
    const trackedBefore = tracked[0].value;
    const seriesBefore = await one('count({__name__=~"burnrate_.+_total"})');
    expect(seriesBefore).toBe(trackedBefore); // cost, input and output tokens, requests per tenant
    expect(await prom.query('ALERTS{alertname="BurnrateCollectorSeriesLimit"}')).toEqual([]);
    const rssBefore = collector.rssBytes();

    // The flood, sampling the Collector's RSS all through it and for 3 s after.
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, collector.rssBytes());
    }, 20);
    const t0 = Date.now();
    await postOtlpJson(
      collector.otlpHttpUrl,
      Array.from({ length: FLOOD }, (_, i) => floodSpan(i)),
      1000,
    );
    const floodMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 3_000));
    clearInterval(sampler);

    // Bounded: the Collector tracks (and Prometheus gets) at most MAX_SERIES series.
    await prom.waitFor(
      'otelcol_deltatocumulative_streams_tracked',
      (s) => s[0]?.value === MAX_SERIES,
    );
    const seriesAfter = (
      await prom.waitFor(
        'count({__name__=~"burnrate_.+_total"})',
        (s) => s[0]?.value === MAX_SERIES,
      )
    )[0].value;
    // Every data point of a series it could not take is counted as dropped, exactly.
    const dropped = FLOOD * 4 - (MAX_SERIES - trackedBefore);
    await prom.waitFor(
      'otelcol_deltatocumulative_datapoints{error="limit"}',
      (s) => s[0]?.value === dropped,
    );
    // The shipped alert fires (its expression is true).
    await prom.waitFor(
      'ALERTS{alertname="BurnrateCollectorSeriesLimit", alertstate="firing"}',
      (s) => s.length === 1,
      { timeoutMs: 30_000 },
    );

    // Series tracked before the flood keep counting, to the cent.
    const after = ['acme', 'globex', 'initech'].map((t) => sdkSpan(t, 0.25));
    await sendSpans(collector.otlpHttpUrl, after);
    const want = expectedMetrics([...before, ...after]);
    for (const m of METRICS) {
      await prom.waitFor(
        `${m}{service="checkout"}`,
        (s) => diffSeries(toSeries(s), want[m]).length === 0,
        { timeoutMs: 20_000 },
      );
    }

    const figures = {
      floodSpans: FLOOD,
      floodMs,
      seriesBefore,
      seriesAfter,
      newSeries: seriesAfter - seriesBefore,
      droppedDatapoints: dropped,
      rssBeforeMB: +(rssBefore / MB).toFixed(1),
      rssPeakMB: +(peak / MB).toFixed(1),
      rssAfterMB: +(collector.rssBytes() / MB).toFixed(1),
    };
    console.log('cardinality flood', JSON.stringify(figures));
    expect(peak).toBeLessThan(200 * MB);
  } finally {
    await prom.stop();
    await collector.stop();
  }
});
