import { type Attributes, context, type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withAttribution } from './attribution.ts';
import { costAttributes, recordModelUsage } from './cost.ts';
import { LabelCap, labelCapLimitsFromEnv } from './label-cap.ts';
import { traceModelCall } from './model-call.ts';
import { BurnrateSpanProcessor } from './span-processor.ts';

const exporter = new InMemorySpanExporter();
function providerWith(processor: BurnrateSpanProcessor) {
  return new TracerProvider({
    spanProcessors: [processor as unknown as SpanProcessor, new SimpleSpanProcessor({ exporter })],
  });
}
// The processor every service gets by default: its cap is the process's.
const tracer = providerWith(new BurnrateSpanProcessor()).getTracer('burnrate-test');

beforeAll(() => {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
});
afterEach(() => exporter.reset());
afterAll(() => {
  context.disable();
  diag.disable();
});

const TOKENS = (i: number) => ({ input: 1000 + (i % 97), output: 50 + (i % 13) });

/** One model call the way every instrumentation makes it: gates, span, usage, end. */
async function modelCall(t = tracer, i = 0): Promise<void> {
  await traceModelCall({
    tracer: t,
    name: 'chat gpt-4o-mini',
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
    request: {},
    gate: {
      provider: 'openai',
      operation: 'chat',
      model: 'gpt-4o-mini',
      maxOutputTokens: 0,
      estimateInputTokens: () => 0,
    },
    applyGate: (r) => r,
    call: async () => ({ tokens: TOKENS(i) }),
    onResult: (call, value) => {
      recordModelUsage(call.span, {
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        tokens: value.tokens,
        source: 'usage',
      });
      return undefined;
    },
  });
}

const attr = (s: ReadableSpan, k: string) => s.attributes[k];
const distinct = (spans: ReadableSpan[], k: string) => new Set(spans.map((s) => attr(s, k))).size;
const totalCost = (spans: ReadableSpan[]) =>
  spans.reduce((sum, s) => sum + Number(attr(s, 'burnrate.cost.usd')), 0);

describe('label cardinality cap', () => {
  it('20,000 distinct tenants and endpoints: at most cap+1 values each, every dollar counted', async () => {
    const N = 20_000;
    let expected = 0;
    for (let i = 0; i < N; i++) {
      await withAttribution({ tenant: `tenant-${i}`, endpoint: `/route-${i}` }, () =>
        modelCall(tracer, i),
      );
      const cost = costAttributes({
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        tokens: TOKENS(i),
        source: 'usage',
      });
      expected += Number(cost['burnrate.cost.usd']);
    }
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(N);
    // Defaults: 100 tenants, 200 endpoints per process; the rest is `other`.
    expect(distinct(spans, 'burnrate.tenant')).toBe(101);
    expect(distinct(spans, 'burnrate.endpoint')).toBe(201);
    expect(totalCost(spans)).toBeCloseTo(expected, 12);
    // First come keeps its name; later new values fold into `other`, marked and kept for debugging.
    expect(attr(spans[99], 'burnrate.tenant')).toBe('tenant-99');
    expect(attr(spans[99], 'burnrate.label.overflow')).toBeUndefined();
    expect(attr(spans[100], 'burnrate.tenant')).toBe('other');
    expect(attr(spans[100], 'burnrate.endpoint')).toBe('/route-100');
    expect(attr(spans[100], 'burnrate.label.overflow')).toBe('tenant');
    expect(attr(spans[100], 'burnrate.tenant.original')).toBe('tenant-100');
    expect(attr(spans[19_999], 'burnrate.tenant')).toBe('other');
    expect(attr(spans[19_999], 'burnrate.endpoint')).toBe('other');
    expect(attr(spans[19_999], 'burnrate.label.overflow')).toBe('tenant,endpoint');
    // A value seen before the cap filled keeps its name later on.
    await withAttribution({ tenant: 'tenant-7', endpoint: '/route-7' }, () => modelCall());
    const again = exporter.getFinishedSpans()[N];
    expect(attr(again, 'burnrate.tenant')).toBe('tenant-7');
    expect(attr(again, 'burnrate.endpoint')).toBe('/route-7');
  }, 120_000);

  it('caps the spans of other instrumentations, and their http.route endpoint fallback', () => {
    const cap = new LabelCap({ tenant: 2, endpoint: 2, team: 1 });
    const t = providerWith(new BurnrateSpanProcessor({ labelCap: cap })).getTracer('foreign');
    const genAi = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 100,
    };
    for (let i = 0; i < 5; i++) {
      t.startSpan('chat', {
        attributes: { ...genAi, 'http.route': `/r${i}/:id`, 'burnrate.team': `team-${i}` },
      }).end();
    }
    const spans = exporter.getFinishedSpans();
    // The Collector takes the endpoint from burnrate.endpoint, else http.route.
    const endpoint = (s: ReadableSpan) => attr(s, 'burnrate.endpoint') ?? attr(s, 'http.route');
    expect(spans.map(endpoint)).toEqual(['/r0/:id', '/r1/:id', 'other', 'other', 'other']);
    expect(spans.map((s) => attr(s, 'burnrate.team'))).toEqual([
      'team-0',
      'other',
      'other',
      'other',
      'other',
    ]);
    expect(attr(spans[4], 'burnrate.label.overflow')).toBe('endpoint,team');
    expect(attr(spans[4], 'burnrate.endpoint.original')).toBe('/r4/:id');
    expect(cap.stats().endpoint).toEqual({ limit: 2, values: 2, folded: 3 });
    // Spans no one priced carry no label: never counted, never changed.
    t.startSpan('GET /health', { attributes: { 'burnrate.tenant': 'x' } }).end();
    expect(exporter.getFinishedSpans()[5].attributes).toEqual({ 'burnrate.tenant': 'x' });
    expect(cap.stats().tenant.values).toBe(0);
  });

  it('folds obviously unbounded values (long, raw paths with ids) without using up the cap', async () => {
    const cap = new LabelCap();
    const t = providerWith(new BurnrateSpanProcessor({ labelCap: cap })).getTracer('t');
    const endpoints = [
      '/users/12345/orders',
      '/items/3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b',
      '/docs/5f8d0d55b54764421b7156c3',
      '/search?q=shoes',
      `/${'x'.repeat(70)}`,
      '/completions/chatcmpl-B9MHDbslfzBVjvYyZAVAHn4fgo',
      '/users/:id/orders',
      '/v1/chat/completions',
      '/models/text-embedding-3-large',
      'POST /api/2fa/setup',
    ];
    for (const endpoint of endpoints) {
      await withAttribution({ endpoint, tenant: 't'.repeat(65) }, () => modelCall(t));
    }
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => attr(s, 'burnrate.endpoint'))).toEqual([
      'other',
      'other',
      'other',
      'other',
      'other',
      'other',
      '/users/:id/orders',
      '/v1/chat/completions',
      '/models/text-embedding-3-large',
      'POST /api/2fa/setup',
    ]);
    expect(spans.every((s) => attr(s, 'burnrate.tenant') === 'other')).toBe(true);
    expect(cap.stats().endpoint.values).toBe(4);
    expect(cap.stats().tenant.values).toBe(0);
  });

  it('warns once per label through the diag logger, naming the label and the cap', async () => {
    const warnings: string[] = [];
    const logger = {
      warn: (...args: unknown[]) => warnings.push(args.join(' ')),
    } as unknown as DiagLogger;
    diag.setLogger(
      { ...logger, error() {}, info() {}, debug() {}, verbose() {} },
      DiagLogLevel.WARN,
    );
    const cap = new LabelCap({ tenant: 1 });
    const t = providerWith(new BurnrateSpanProcessor({ labelCap: cap })).getTracer('t');
    for (let i = 0; i < 10; i++) await withAttribution({ tenant: `t${i}` }, () => modelCall(t));
    const capped = warnings.filter((w) => w.includes('tenant'));
    expect(capped).toHaveLength(1);
    expect(capped[0]).toMatch(/"tenant".*1 distinct/);
    expect(capped[0]).toContain('BURNRATE_MAX_TENANTS');
    expect(cap.stats().tenant).toEqual({ limit: 1, values: 1, folded: 9 });
  });
});

describe('label caps from the environment', () => {
  it('reads BURNRATE_MAX_LABEL_VALUES and the per-label variables, which win', () => {
    const report: string[] = [];
    expect(
      labelCapLimitsFromEnv(
        {
          BURNRATE_MAX_LABEL_VALUES: '20',
          BURNRATE_MAX_ENDPOINTS: '500',
          BURNRATE_MAX_AGENTS: '7',
        },
        (m) => report.push(m),
      ),
    ).toEqual({ tenant: 20, endpoint: 500, team: 20, agent: 7, tool: 20 });
    expect(report).toEqual([]);
  });

  it('reports a bad value once, naming the variable, and keeps the default', () => {
    const report: string[] = [];
    expect(
      labelCapLimitsFromEnv({ BURNRATE_MAX_TENANTS: 'lots', BURNRATE_MAX_TEAMS: '-1' }, (m) =>
        report.push(m),
      ),
    ).toEqual({ tenant: 100, endpoint: 200, team: 50, agent: 50, tool: 50 });
    expect(report).toHaveLength(2);
    expect(report[0]).toMatch(/^BURNRATE_MAX_TENANTS: expected a positive whole number/);
    expect(report[1]).toMatch(/^BURNRATE_MAX_TEAMS: /);
  });
});

describe('label cap: agents and tools', () => {
  it('keeps the first N agent and tool names; later ones count under other, names kept in gen_ai.*', () => {
    const cap = new LabelCap({ agent: 2, tool: 1 });
    const spans = ['planner', 'writer', 'critic', 'planner'].map((agent, i) => {
      const attrs: Attributes = { 'gen_ai.agent.name': agent, 'gen_ai.tool.name': `t${i % 2}` };
      const s = { attributes: attrs, setAttributes: (x: Attributes) => Object.assign(attrs, x) };
      cap.apply(s);
      return attrs;
    });
    expect(spans.map((a) => a['burnrate.agent'] ?? a['gen_ai.agent.name'])).toEqual([
      'planner',
      'writer',
      'other',
      'planner',
    ]);
    expect(spans.map((a) => a['burnrate.tool'] ?? a['gen_ai.tool.name'])).toEqual([
      't0',
      'other',
      't0',
      'other',
    ]);
    expect(spans[2]['gen_ai.agent.name']).toBe('critic');
    expect(spans[2]['burnrate.label.overflow']).toBe('agent');
    expect(spans[1]['burnrate.label.overflow']).toBe('tool');
    expect(cap.stats().agent).toEqual({ limit: 2, values: 2, folded: 1 });
  });
});
