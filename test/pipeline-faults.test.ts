import { createServer, type Server } from 'node:http';
import { describe, expect, test } from 'vitest';
import {
  type DecodedSpan,
  decodeOtlpProto,
  diffSeries,
  expectedMetrics,
  otlp,
  postOtlpJson,
  type RawAttrs,
  type RawSpan,
  type SpanSpec,
  scrapeCollector,
  sendSpans,
  startCollector,
  startPrometheus,
  toSeries,
} from './harness/index.ts';
import { METRICS } from './pipeline-support.ts';

// Bad values never reach a counter: spans whose cost or token counts are not a sane number
// (NaN, ±Infinity, absurdly large, negative, a string or a boolean; tokens negative,
// fractional, non-numeric or beyond 2^53) are left out of every burnrate_* counter and counted
// in burnrate_invalid_spans_total{reason, service}, while the trace pipeline forwards them
// unchanged. Valid spans around them are counted to 1e-9 $, and no counter is ever NaN or
// goes down.

const resource = { 'service.name': 'faults', 'deployment.environment.name': 'test' };
const rawResource: RawAttrs = resource;
const otherResource: RawAttrs = {
  'service.name': 'raw-sender',
  'deployment.environment.name': 'test',
};

function llm(tenant: string, cost: number, input = 1000, output = 200): SpanSpec {
  return {
    name: 'chat gpt-4o',
    resource,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
      'burnrate.cost.usd': cost,
      'burnrate.cost.source': 'usage',
      'burnrate.team': 'search',
      'burnrate.tenant': tenant,
    },
  };
}

function vector(tenant: string, cost: number): SpanSpec {
  return {
    name: 'query pinecone',
    resource,
    attributes: {
      'db.system.name': 'pinecone',
      'db.operation.name': 'query',
      'burnrate.cost.usd': cost,
      'burnrate.cost.source': 'catalog',
      'burnrate.team': 'search',
      'burnrate.tenant': tenant,
    },
  };
}

/** A priced model span as a raw OTLP sender writes it, with some attributes replaced (null: removed). */
function rawLlm(
  replace: Record<string, RawAttrs[string] | null>,
  res: RawAttrs = rawResource,
): RawSpan {
  const attributes: RawAttrs = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': otlp.int(1000),
    'gen_ai.usage.output_tokens': otlp.int(200),
    'burnrate.cost.usd': otlp.double(0.5),
    'burnrate.cost.source': 'usage',
    'burnrate.team': 'search',
    'burnrate.tenant': 'bad',
  };
  for (const [k, v] of Object.entries(replace)) {
    if (v === null) delete attributes[k];
    else attributes[k] = v;
  }
  return { name: 'bad chat', resource: res, attributes };
}

const COST = 'burnrate.cost.usd';
const IN = 'gen_ai.usage.input_tokens';
const OUT = 'gen_ai.usage.output_tokens';

/** Every kind of bad span, with the reason the Collector must give. */
const BAD: [string, RawSpan][] = [
  ['cost_not_finite', rawLlm({ [COST]: otlp.double(Number.NaN) })],
  ['cost_not_finite', rawLlm({ [COST]: otlp.double(Number.POSITIVE_INFINITY) })],
  ['cost_not_finite', rawLlm({ [COST]: otlp.double(Number.NEGATIVE_INFINITY) })],
  ['cost_too_large', rawLlm({ [COST]: otlp.double(1e308) })],
  ['cost_too_large', rawLlm({ [COST]: otlp.double(1_000_000.01) })],
  ['cost_too_large', rawLlm({ [COST]: otlp.int(5_000_000) })],
  ['cost_negative', rawLlm({ [COST]: otlp.double(-0.5) })],
  ['cost_negative', rawLlm({ [COST]: otlp.int(-3) })],
  ['cost_not_number', rawLlm({ [COST]: otlp.str('0.25') })],
  ['cost_not_number', rawLlm({ [COST]: otlp.bool(true) })],
  ['tokens_invalid', rawLlm({ [IN]: otlp.int(-5) })],
  ['tokens_invalid', rawLlm({ [OUT]: otlp.double(1.5) })],
  ['tokens_invalid', rawLlm({ [IN]: otlp.str('100') })],
  ['tokens_invalid', rawLlm({ [OUT]: otlp.bool(false) })],
  ['tokens_invalid', rawLlm({ [IN]: otlp.double(Number.NaN) })],
  ['tokens_invalid', rawLlm({ [OUT]: otlp.double(Number.POSITIVE_INFINITY) })],
  ['tokens_invalid', rawLlm({ [IN]: otlp.int(2n ** 53n + 1n) })],
  ['tokens_invalid', rawLlm({ 'gen_ai.usage.cache_read.input_tokens': otlp.int(-1) })],
  ['tokens_invalid', rawLlm({ 'gen_ai.usage.cache_creation.input_tokens': otlp.double(2.5) })],
  ['tokens_invalid', rawLlm({ 'gen_ai.usage.reasoning.output_tokens': otlp.str('x') })],
  // An unpriced call (no cost) with bad tokens.
  [
    'tokens_invalid',
    rawLlm({ [COST]: null, 'burnrate.cost.source': 'unpriced', [IN]: otlp.int(-1) }),
  ],
  // A vector-database span.
  [
    'cost_not_finite',
    {
      name: 'bad query',
      resource: rawResource,
      attributes: {
        'db.system.name': 'pinecone',
        'db.operation.name': 'query',
        [COST]: otlp.double(Number.NaN),
        'burnrate.cost.source': 'catalog',
        'burnrate.tenant': 'bad',
      },
    },
  ],
  // A second service: the counter says who sends them.
  ['cost_negative', rawLlm({ [COST]: otlp.double(-100) }, otherResource)],
  ['cost_not_finite', rawLlm({ [COST]: otlp.double(Number.NaN) }, otherResource)],
];

/** Spans that are not Burnrate-priced: neither counted nor invalid, whatever they carry. */
const IGNORED: RawSpan[] = [
  {
    resource: rawResource,
    attributes: { [COST]: otlp.double(Number.NaN), 'gen_ai.operation.name': 'chat' },
  },
  {
    resource: rawResource,
    attributes: { [COST]: otlp.double(-1), 'burnrate.cost.source': 'usage' },
  },
];

/** Valid spans a raw sender writes in ways the JS SDK never does: counted. */
const RAW_VALID: [RawSpan, SpanSpec][] = [
  // Tokens as doubles holding integers; an integer cost; an app attribute named like the label.
  [
    rawLlm({
      [IN]: otlp.double(120),
      [OUT]: otlp.double(30),
      [COST]: otlp.int(2),
      'burnrate.tenant': 'raw',
      reason: 'user_cancelled',
    }),
    {
      ...llm('raw', 2, 120, 30),
      attributes: { ...llm('raw', 2, 120, 30).attributes, reason: 'user_cancelled' },
    },
  ],
  // The largest cost a span may carry ($1,000,000) and the largest token count (2^53).
  [
    rawLlm({ [COST]: otlp.double(1_000_000), [IN]: otlp.int(2n ** 53n), 'burnrate.tenant': 'max' }),
    llm('max', 1_000_000, 2 ** 53),
  ],
];

describe('bad values never reach a counter', () => {
  test('NaN, ±Inf, huge, negative, string and boolean costs and bad token counts are dropped and counted by reason; valid spans stay exact', async () => {
    // A trace backend that decodes what the Collector forwards.
    const forwarded: DecodedSpan[] = [];
    const sink: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        forwarded.push(...decodeOtlpProto(Buffer.concat(chunks)));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const address = sink.address();
    const sinkPort = typeof address === 'object' && address ? address.port : 0;
    const collector = await startCollector({
      batchTimeout: '50ms',
      env: {
        BURNRATE_TRACE_EXPORTERS: '[otlp_http/forward]',
        BURNRATE_TRACES_FORWARD_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      },
    });
    const prom = await startPrometheus({ scrapeTargets: [collector.metricsTarget] });
    const started = Date.now();
    try {
      const before = [
        llm('acme', 0.0123),
        llm('acme', 0.75, 3000, 100),
        llm('globex', 1.2345, 10, 1),
        vector('acme', 0.0004),
      ];
      const after = [
        llm('acme', 0.1),
        llm('globex', 0.0001, 5, 5),
        vector('acme', 0.0016),
        vector('globex', 0.25),
      ];
      const wantBefore = expectedMetrics(before);
      const want = expectedMetrics([...before, ...after, ...RAW_VALID.map(([, s]) => s)]);

      // Valid spans first, so a bad value would have an existing counter to poison.
      await sendSpans(collector.otlpHttpUrl, before);
      await prom.waitFor(
        'burnrate_llm_cost_usd_total',
        (s) => diffSeries(toSeries(s), wantBefore.burnrate_llm_cost_usd_total).length === 0,
      );
      // Every bad span, each in its own request and all in one, beside ignored and raw valid ones.
      for (const [, span] of BAD) await postOtlpJson(collector.otlpHttpUrl, [span]);
      await postOtlpJson(collector.otlpHttpUrl, [
        ...BAD.map(([, s]) => s),
        ...IGNORED,
        ...RAW_VALID.map(([r]) => r),
      ]);
      // The JS SDK can send some of them too (it writes 1e308, an integer in JS, as a bad intValue).
      const sdkBad: SpanSpec[] = [
        { ...llm('bad', 0), attributes: { ...llm('bad', 0).attributes, [COST]: 'NaN' } },
        { ...llm('bad', 0), attributes: { ...llm('bad', 0).attributes, [COST]: 2_000_000.5 } },
        { ...llm('bad', 0), attributes: { ...llm('bad', 0).attributes, [COST]: -1 } },
        { ...llm('bad', 0), attributes: { ...llm('bad', 0).attributes, [IN]: 2.5 } },
      ];
      await sendSpans(collector.otlpHttpUrl, sdkBad);
      await sendSpans(collector.otlpHttpUrl, after);

      const wantInvalid = new Map<string, number>();
      for (const [reason, span] of BAD) {
        const key = `${reason}/${String(span.resource['service.name'])}`;
        wantInvalid.set(key, (wantInvalid.get(key) ?? 0) + 2);
      }
      for (const reason of ['cost_not_number', 'cost_too_large', 'cost_negative', 'tokens_invalid'])
        wantInvalid.set(`${reason}/faults`, (wantInvalid.get(`${reason}/faults`) ?? 0) + 1);

      // Prometheus: every counter equals the valid spans to 1e-9 $.
      for (const m of METRICS) {
        await prom.waitFor(m, (s) => diffSeries(toSeries(s), want[m]).length === 0, {
          timeoutMs: 20_000,
        });
      }
      const invalid = await prom.waitFor(
        'burnrate_invalid_spans_total',
        (s) =>
          s.length === wantInvalid.size &&
          s.every((x) => wantInvalid.get(`${x.labels.reason}/${x.labels.service}`) === x.value),
        { timeoutMs: 20_000 },
      );
      expect(
        Object.fromEntries(invalid.map((x) => [`${x.labels.reason}/${x.labels.service}`, x.value])),
      ).toEqual(Object.fromEntries(wantInvalid));
      // Only its two labels (and Prometheus' job/instance).
      for (const x of invalid)
        expect(Object.keys(x.labels).sort()).toEqual([
          '__name__',
          'instance',
          'job',
          'reason',
          'service',
        ]);

      // Never NaN, never down: every sample Prometheus stored since the start.
      const end = Date.now() / 1000 + 1;
      for (const m of [...METRICS, 'burnrate_invalid_spans_total']) {
        const range = await prom.api<{
          result: { metric: Record<string, string>; values: [number, string][] }[];
        }>(
          `/api/v1/query_range?${new URLSearchParams({ query: m, start: String(started / 1000), end: String(end), step: '1' })}`,
        );
        for (const series of range.result) {
          let last = 0;
          for (const [, v] of series.values) {
            const value = Number(v);
            expect(Number.isFinite(value), `${m} ${JSON.stringify(series.metric)} = ${v}`).toBe(
              true,
            );
            expect(value, `${m} ${JSON.stringify(series.metric)} went down`).toBeGreaterThanOrEqual(
              last,
            );
            last = value;
          }
        }
      }

      // The trace pipeline forwarded every span, bad ones unchanged and without the cost
      // pipeline's labels.
      const sentCount =
        before.length +
        after.length +
        sdkBad.length +
        BAD.length * 2 +
        IGNORED.length +
        RAW_VALID.length;
      const deadline = Date.now() + 15_000;
      while (forwarded.length < sentCount && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(forwarded.length).toBe(sentCount);
      const nan = forwarded.filter(
        (s) => s.attributes[COST]?.type === 'double' && Number.isNaN(s.attributes[COST].value),
      );
      expect(nan.length).toBe(2 * 3 + 1); // 3 NaN costs among the bad spans, sent twice, and an ignored one
      expect(forwarded.filter((s) => s.attributes[COST]?.type === 'string').length).toBe(2 + 1);
      expect(forwarded.filter((s) => s.attributes[COST]?.type === 'bool').length).toBe(2);
      expect(
        forwarded.filter(
          (s) => s.attributes[IN]?.type === 'int' && s.attributes[IN].value === 2n ** 53n + 1n,
        ).length,
      ).toBe(2);
      for (const s of forwarded) {
        for (const label of [
          'service',
          'environment',
          'team',
          'tenant',
          'model',
          'outcome',
          'token_type',
        ])
          expect(s.attributes[label]).toBeUndefined();
        // The only `reason` is the app's own, untouched.
        if (s.attributes.reason !== undefined)
          expect(s.attributes.reason).toEqual({ type: 'string', value: 'user_cancelled' });
      }
    } finally {
      await prom.stop();
      await collector.stop();
      sink.closeAllConnections();
      await new Promise((r) => sink.close(r));
    }
  });
});

describe('the limits are settings', () => {
  test('BURNRATE_MAX_SPAN_COST_USD and BURNRATE_MAX_SERIES override the defaults', async () => {
    const collector = await startCollector({
      batchTimeout: '50ms',
      env: { BURNRATE_MAX_SPAN_COST_USD: '10.5', BURNRATE_MAX_SERIES: '40' },
    });
    try {
      // $10.50 is allowed, $10.51 is too large; 20 tenants x 4 series each is over 40 series.
      await postOtlpJson(collector.otlpHttpUrl, [
        rawLlm({ [COST]: otlp.double(10.5), 'burnrate.tenant': 'edge' }),
        rawLlm({ [COST]: otlp.double(10.51), 'burnrate.tenant': 'edge' }),
      ]);
      // Counted (5 series: 4 of the valid span, 1 invalid-span counter) before the flood.
      const counted = Date.now() + 15_000;
      while (
        (await scrapeCollector(collector.metricsUrl)).filter((x) => x.name.startsWith('burnrate_'))
          .length < 5 &&
        Date.now() < counted
      )
        await new Promise((r) => setTimeout(r, 100));
      await postOtlpJson(
        collector.otlpHttpUrl,
        Array.from({ length: 20 }, (_, i) => rawLlm({ 'burnrate.tenant': `t${i}` })),
      );
      const telemetryUrl = `http://${collector.telemetryTarget}/metrics`;
      const deadline = Date.now() + 15_000;
      let metrics = await scrapeCollector(collector.metricsUrl);
      let telemetry = await scrapeCollector(telemetryUrl);
      const value = (xs: typeof metrics, name: string, labels: Record<string, string> = {}) =>
        xs.find(
          (x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v),
        )?.value;
      while (
        value(telemetry, 'otelcol_deltatocumulative_streams_tracked') !== 40 &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 200));
        telemetry = await scrapeCollector(telemetryUrl);
      }
      metrics = await scrapeCollector(collector.metricsUrl);
      expect(value(telemetry, 'otelcol_deltatocumulative_streams_limit')).toBe(40);
      expect(value(telemetry, 'otelcol_deltatocumulative_streams_tracked')).toBe(40);
      // 85 new series offered (5, then 20 tenants x 4), 40 admitted: one data point each dropped.
      expect(value(telemetry, 'otelcol_deltatocumulative_datapoints', { error: 'limit' })).toBe(
        85 - 40,
      );
      expect(value(metrics, 'burnrate_llm_cost_usd_total', { tenant: 'edge' })).toBe(10.5);
      expect(value(metrics, 'burnrate_invalid_spans_total', { reason: 'cost_too_large' })).toBe(1);
      expect(metrics.filter((x) => x.name.startsWith('burnrate_')).length).toBe(40);
    } finally {
      await collector.stop();
    }
  });
});
