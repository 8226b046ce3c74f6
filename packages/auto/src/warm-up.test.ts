import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_TENANT,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  CostMeter,
  CostMeterSpanProcessor,
  configureLabelCaps,
} from '@burnrate/core';
import { InMemorySpanExporter, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { burnrateSpanProcessors, warmBurnrateSpanPath } from './processors.ts';
import { warmSpanPath } from './warm-up.ts';

const nextTask = () => new Promise((r) => setTimeout(r, 1));

let ledger: Server;
let ledgerRequests = 0;
beforeAll(async () => {
  ledger = createServer((req, res) => {
    ledgerRequests++;
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => ledger.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise((r) => ledger.close(r)));
afterEach(() => {
  configureLabelCaps({});
  delete process.env.BURNRATE_LEDGER;
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
});

describe('warming the span path after start-up', () => {
  it('runs a span through the whole chain, one step per task', async () => {
    const warm = warmBurnrateSpanPath(true);
    expect(warm.ended()).toBe(0); // nothing on the caller's task
    await nextTask();
    expect(warm.ended()).toBe(0); // the first task only made the provider
    await warm.done;
    expect(warm.ended()).toBe(1);
  });

  it("reaches none of the service's spans, cost totals, label caps or ledger", async () => {
    // The service: one distinct tenant allowed, the ledger on, its own exporter and cost meter.
    configureLabelCaps({ tenant: 1 });
    process.env.BURNRATE_LEDGER = 'on';
    const { port } = ledger.address() as AddressInfo;
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${port}/v1/traces`;
    const exporter = new InMemorySpanExporter();
    const meter = new CostMeter();
    const service = new TracerProvider({
      spanProcessors: burnrateSpanProcessors(exporter, {
        processor: new CostMeterSpanProcessor(meter) as unknown as SpanProcessor,
        countExportFailures: (e) => e,
        countQueueDrops: (p) => p,
      } as Parameters<typeof burnrateSpanProcessors>[1]),
    });

    const warm = warmBurnrateSpanPath(true);
    await warm.done;
    expect(warm.ended()).toBe(1);
    await service.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(meter.metrics['burnrate.llm.requests'].size).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(ledgerRequests).toBe(0);

    // The service's first tenant is its own: the warm-up's made-up one took no place in the cap.
    const span = service.getTracer('t').startSpan('chat gpt-4o-mini', {
      attributes: {
        [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
        [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
        [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
        [ATTR_BURNRATE_TENANT]: 'acme',
      },
    });
    span.setAttributes({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 20,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 8,
      [ATTR_BURNRATE_COST_SOURCE]: 'usage',
      [ATTR_BURNRATE_COST_USD]: 0.0000078,
    });
    span.end();
    await service.forceFlush();
    const [ended] = exporter.getFinishedSpans();
    expect(ended.attributes[ATTR_BURNRATE_TENANT]).toBe('acme');
    const [point] = meter.metrics['burnrate.llm.cost.usd'].points();
    expect(point.attributes.tenant).toBe('acme');
    expect(point.value).toBeCloseTo(0.0000078, 12);
    await service.shutdown();
    await new Promise((r) => setTimeout(r, 200));
    expect(ledgerRequests).toBe(1); // the service's own ledger event, and only that
  });

  it('fails open: a step that throws ends the warm-up quietly', async () => {
    const warm = warmSpanPath(() => {
      throw new Error('no processors');
    });
    await expect(warm.done).resolves.toBeUndefined();
    expect(warm.ended()).toBe(0);
  });
});
