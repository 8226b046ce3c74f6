import { createServer, type Server } from 'node:http';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, test } from 'vitest';
import {
  diffSeries,
  expectedMetrics,
  freePort,
  generateTraffic,
  type SpanSpec,
  scrapeCollector,
  sendSpans,
  startCollector,
  startPrometheus,
  toSeries,
  total,
} from './harness/index.ts';

// Collector behaviours that need their own instance: switches, quiet gaps, gRPC.
const COST = 'burnrate_llm_cost_usd_total';

function pricedSpan(tenant: string, cost: number): SpanSpec {
  return {
    resource: { 'service.name': 'probe', 'deployment.environment.name': 'test' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
      'burnrate.cost.usd': cost,
      'burnrate.cost.source': 'usage',
      'burnrate.tenant': tenant,
    },
  };
}

async function costOf(metricsUrl: string, tenant: string): Promise<number | undefined> {
  const samples = await scrapeCollector(metricsUrl);
  return samples.find((s) => s.name === COST && s.labels.tenant === tenant)?.value;
}

async function waitForCost(metricsUrl: string, tenant: string, want: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  let got: number | undefined;
  while (Date.now() < deadline) {
    got = await costOf(metricsUrl, tenant);
    if (got !== undefined && Math.abs(got - want) < 1e-12) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${tenant}: cost ${got}, want ${want}`);
}

describe('quiet gaps (series expiration)', () => {
  // The connector looks for idle series once a minute (or every BURNRATE_SERIES_EXPIRATION, if
  // shorter) and the exporter on its own clock, so this needs a gap of over a minute with
  // BURNRATE_SERIES_EXPIRATION=5s, against the default (25h) on a second Collector.
  test('a series idle past BURNRATE_SERIES_EXPIRATION restarts from zero; within it, it keeps counting', async () => {
    const short = await startCollector({ seriesExpiration: '5s', batchTimeout: '50ms' });
    const long = await startCollector({ batchTimeout: '50ms' });
    try {
      for (const c of [short, long]) await sendSpans(c.otlpHttpUrl, [pricedSpan('gap', 0.25)]);
      await waitForCost(short.metricsUrl, 'gap', 0.25);
      await waitForCost(long.metricsUrl, 'gap', 0.25);
      await new Promise((r) => setTimeout(r, 70_000)); // a quiet gap
      expect(await costOf(short.metricsUrl, 'gap')).toBeUndefined(); // dropped
      expect(await costOf(long.metricsUrl, 'gap')).toBe(0.25); // still there
      for (const c of [short, long]) await sendSpans(c.otlpHttpUrl, [pricedSpan('gap', 0.5)]);
      // The short one forgot it in both stages: a clean restart at 0.5 (a counter reset for
      // Prometheus), not a resurrected 0.75; the default keeps counting.
      await waitForCost(short.metricsUrl, 'gap', 0.5);
      await waitForCost(long.metricsUrl, 'gap', 0.75);
    } finally {
      await short.stop();
      await long.stop();
    }
  }, 120_000);
});

describe('trace forwarding (BURNRATE_TRACE_EXPORTERS)', () => {
  test('forwards spans when switched on; a dead trace backend neither fails the sender nor double counts', async () => {
    // A trace backend that records what it gets.
    let received = 0;
    const sink: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const address = sink.address();
    const sinkPort = typeof address === 'object' && address ? address.port : 0;
    const deadPort = await freePort(); // nothing listens here
    const live = await startCollector({
      env: {
        BURNRATE_TRACE_EXPORTERS: '[otlp_http/forward]',
        BURNRATE_TRACES_FORWARD_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      },
    });
    const dead = await startCollector({
      env: {
        BURNRATE_TRACE_EXPORTERS: '[otlp_http/forward]',
        BURNRATE_TRACES_FORWARD_ENDPOINT: `http://127.0.0.1:${deadPort}`,
      },
    });
    try {
      const spans = generateTraffic(300, 5);
      const want = expectedMetrics(spans);
      await sendSpans(live.otlpHttpUrl, spans);
      await sendSpans(dead.otlpHttpUrl, spans); // resolves: the Collector accepted every batch
      for (const c of [live, dead]) {
        const deadline = Date.now() + 15_000;
        let problems: string[] = ['not scraped'];
        while (problems.length && Date.now() < deadline) {
          const got = (await scrapeCollector(c.metricsUrl)).filter((s) => s.name === COST);
          problems = diffSeries(
            toSeries(got.map((s) => ({ labels: s.labels, value: s.value }))),
            want[COST],
          );
          if (problems.length) await new Promise((r) => setTimeout(r, 200));
        }
        expect(problems).toEqual([]);
      }
      const deadline = Date.now() + 15_000;
      while (received === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(received).toBeGreaterThan(0);
      // Still exact a while later: the failing forwarder's retries never replay into the counters.
      await new Promise((r) => setTimeout(r, 3_000));
      const got = (await scrapeCollector(dead.metricsUrl)).filter((s) => s.name === COST);
      expect(Math.abs(got.reduce((t, s) => t + s.value, 0) - total(want[COST]))).toBeLessThan(1e-9);
    } finally {
      await live.stop();
      await dead.stop();
      sink.closeAllConnections();
      await new Promise((r) => sink.close(r));
    }
  });
});

describe('remote write (BURNRATE_METRICS_EXPORTERS)', () => {
  test('pushes the same counters to a Prometheus remote-write endpoint', async () => {
    const prom = await startPrometheus({ scrapeTargets: [], remoteWriteReceiver: true });
    const c = await startCollector({
      env: {
        BURNRATE_METRICS_EXPORTERS: '[prometheus, prometheus_remote_write]',
        BURNRATE_REMOTE_WRITE_URL: `${prom.url}/api/v1/write`,
      },
    });
    try {
      const spans = generateTraffic(200, 9);
      await sendSpans(c.otlpHttpUrl, spans);
      const want = expectedMetrics(spans)[COST];
      const got = await prom.waitFor(COST, (s) => diffSeries(toSeries(s), want).length === 0, {
        timeoutMs: 60_000,
      });
      expect(got.length).toBe(want.size);
    } finally {
      await c.stop();
      await prom.stop();
    }
  });
});

describe('OTLP/gRPC', () => {
  test('spans sent over gRPC are counted like HTTP ones', async () => {
    const c = await startCollector({ batchTimeout: '50ms' });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-probe' }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OtlpGrpcExporter({ url: `http://${c.otlpGrpcEndpoint}` }),
          scheduledDelayMillis: 3_600_000,
        }),
      ],
    });
    try {
      const span = provider
        .getTracer('t')
        .startSpan('chat', { attributes: pricedSpan('grpc', 0.125).attributes });
      span.end();
      await provider.forceFlush();
      await waitForCost(c.metricsUrl, 'grpc', 0.125);
    } finally {
      await provider.shutdown();
      await c.stop();
    }
  });
});
