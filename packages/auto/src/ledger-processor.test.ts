import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurnrateSpanProcessor } from '@burnrate/core';
import { JsonlSink, type LedgerWriter, startWriter } from '@burnrate/ledger';
import { SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LedgerSpanProcessor, ledgerProcessorFromEnv } from './ledger-processor.ts';

let dir: string;
let writer: LedgerWriter;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'burnrate-ledger-emitter-'));
  writer = await startWriter({
    host: '127.0.0.1',
    port: 0,
    sinks: [new JsonlSink(dir, 1e8)],
    maxBodyBytes: 1e7,
  });
});
afterAll(async () => {
  await writer?.close();
  await rm(dir, { recursive: true, force: true });
});

async function rows(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const f of await readdir(dir))
    for (const l of (await readFile(join(dir, f), 'utf8')).split('\n'))
      if (l) out.push(JSON.parse(l));
  return out;
}

it('is off unless BURNRATE_LEDGER is on, and names the variable of a bad value', () => {
  const reports: string[] = [];
  expect(ledgerProcessorFromEnv({}, (m) => reports.push(m))).toBeUndefined();
  expect(
    ledgerProcessorFromEnv({ BURNRATE_LEDGER: 'off' }, (m) => reports.push(m)),
  ).toBeUndefined();
  expect(ledgerProcessorFromEnv({ BURNRATE_LEDGER: 'on' }, (m) => reports.push(m))).toBeInstanceOf(
    LedgerSpanProcessor,
  );
  expect(
    ledgerProcessorFromEnv({ BURNRATE_LEDGER: 'yes please' }, (m) => reports.push(m)),
  ).toBeUndefined();
  expect(reports).toEqual([
    'BURNRATE_LEDGER: expected on or off, got "yes please"; the ledger is off',
  ]);
});

it('emits one ledger event per priced or refused call, with the row and the unit prices used', async () => {
  const ledger = new LedgerSpanProcessor({
    url: `${writer.url}/v1/logs`,
    scheduledDelayMillis: 50,
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout',
      'deployment.environment.name': 'prod',
    }),
    spanProcessors: [new BurnrateSpanProcessor() as unknown as SpanProcessor, ledger],
  });
  const tracer = provider.getTracer('test');
  const priced = tracer.startSpan('chat gpt-4o-mini', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
      'burnrate.tenant': 'acme',
    },
  });
  priced.end();
  const refused = tracer.startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'burnrate.budget.name': 'daily',
      'burnrate.budget.decision': 'block',
    },
  });
  refused.setStatus({ code: SpanStatusCode.ERROR });
  refused.end();
  tracer.startSpan('GET /health').end(); // not a model call: no event
  await provider.forceFlush();
  const got = await rows();
  expect(got).toHaveLength(2);
  const p = got.find((r) => r.span_id === priced.spanContext().spanId);
  expect(p).toMatchObject({
    trace_id: priced.spanContext().traceId,
    service: 'checkout',
    environment: 'prod',
    tenant: 'acme',
    provider: 'openai',
    pricing_model: 'gpt-4o-mini',
    input_tokens: 1000,
    output_tokens: 100,
    price_input_per_mtok: '0.15',
    price_output_per_mtok: '0.6',
    cost_usd: '0.00021', // 1,000 x $0.15/M + 100 x $0.60/M
    cost_source: 'usage',
    outcome: 'ok',
  });
  const r = got.find((x) => x.span_id === refused.spanContext().spanId);
  expect(r).toMatchObject({
    cost_source: 'refused',
    cost_usd: null,
    outcome: 'error',
    budget_name: 'daily',
    budget_decision: 'block',
  });
  await provider.shutdown();
});

it('never holds up shutdown while the Collector is down, and never throws into the app', async () => {
  // A port nothing listens on: taken, then closed.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  const ledger = new LedgerSpanProcessor({
    url: `http://127.0.0.1:${port}/v1/logs`,
    scheduledDelayMillis: 10,
  });
  const provider = new TracerProvider({
    spanProcessors: [new BurnrateSpanProcessor() as unknown as SpanProcessor, ledger],
  });
  const span = provider.getTracer('test').startSpan('chat', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 1,
    },
  });
  expect(() => span.end()).not.toThrow();
  await new Promise((r) => setTimeout(r, 1500)); // the first export failed: its retry is waiting
  const started = Date.now();
  await provider.shutdown();
  expect(Date.now() - started).toBeLessThan(3_000);
});
