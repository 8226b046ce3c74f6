import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { withAttribution } from './attribution.ts';
import { startCallSpan } from './span-call.ts';
import { useProcessorTracing } from './test-support/tracing.ts';

const { exporter, tracer } = useProcessorTracing();

const foreignAttrs = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 100,
};

describe('BurnrateSpanProcessor', () => {
  it('prices and attributes a GenAI span another instrumentation made', () => {
    withAttribution({ team: 'growth', endpoint: '/chat' }, () => {
      tracer.startSpan('chat gpt-4o-mini', { attributes: foreignAttrs }).end();
    });
    const a = exporter.getFinishedSpans()[0].attributes;
    expect(a['burnrate.cost.source']).toBe('usage');
    // gpt-4o-mini: $0.15 / M input, $0.60 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
    expect(a['burnrate.team']).toBe('growth');
    expect(a['burnrate.endpoint']).toBe('/chat');
  });

  it('reads the older prompt_tokens / gen_ai.system names', () => {
    tracer
      .startSpan('openai.chat', {
        attributes: {
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.prompt_tokens': 1000,
          'gen_ai.usage.completion_tokens': 100,
        },
      })
      .end();
    const a = exporter.getFinishedSpans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(1000);
    expect(a['burnrate.cost.usd']).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
  });

  it('never prices a span twice: spans already priced are left alone', () => {
    tracer
      .startSpan('x', {
        attributes: { ...foreignAttrs, 'burnrate.cost.source': 'usage', 'burnrate.cost.usd': 1 },
      })
      .end();
    expect(exporter.getFinishedSpans()[0].attributes['burnrate.cost.usd']).toBe(1);
  });

  it('does not price a GenAI span of the same call inside a Burnrate-recorded call', () => {
    const ours = startCallSpan({ tracer, name: 'chat gpt-4o-mini', attributes: {} });
    context.with(ours.context, () => tracer.startSpan('inner', { attributes: foreignAttrs }).end());
    ours.end();
    const inner = exporter.getFinishedSpans().find((s) => s.name === 'inner');
    expect(inner?.attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('does not price an outer GenAI span of another instrumentation wrapping a Burnrate-recorded call', () => {
    const outer = tracer.startSpan('outer', { attributes: { 'gen_ai.system': 'openai' } });
    context.with(trace.setSpan(context.active(), outer), () => {
      startCallSpan({ tracer, name: 'ours', attributes: {} }).end();
    });
    outer.setAttributes(foreignAttrs);
    outer.end();
    const o = exporter.getFinishedSpans().find((s) => s.name === 'outer');
    expect(o?.attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('prices the innermost of nested GenAI spans only, with a plain span between them', () => {
    // An AI SDK operation span around a step span around the client SDK's own GenAI span.
    const outer = tracer.startSpan('operation', { attributes: foreignAttrs });
    const outerCtx = trace.setSpan(context.active(), outer);
    const step = tracer.startSpan('step', {}, outerCtx);
    tracer.startSpan('client', { attributes: foreignAttrs }, trace.setSpan(outerCtx, step)).end();
    step.end();
    outer.end();
    // A GenAI span that wraps no priced span is still priced.
    tracer.startSpan('other', { attributes: foreignAttrs }).end();
    const cost = (name: string) =>
      exporter.getFinishedSpans().find((s) => s.name === name)?.attributes['burnrate.cost.usd'];
    expect(cost('client')).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
    expect(cost('operation')).toBeUndefined();
    expect(cost('other')).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
  });

  it('leaves non-GenAI spans untouched', () => {
    withAttribution({ team: 'growth' }, () => tracer.startSpan('GET /health').end());
    expect(exporter.getFinishedSpans()[0].attributes).toEqual({});
  });
});
