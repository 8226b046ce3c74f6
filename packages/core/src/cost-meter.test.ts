import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { CostMeter, type CumulativeSums, type MeteredSpan } from './cost-meter.ts';

function span(attributes: Attributes, resource: Attributes = {}, error = false): MeteredSpan {
  const attrs: Record<string, AttributeValue | undefined> = { ...attributes };
  return {
    attributes: attrs,
    status: { code: error ? 2 : 1 },
    resource: { attributes: { 'service.name': 'checkout', ...resource } },
    setAttribute(k: string, v: AttributeValue) {
      attrs[k] = v;
    },
  };
}

const chat = (extra: Attributes = {}): Attributes => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.usage.input_tokens': 100,
  'gen_ai.usage.output_tokens': 20,
  'burnrate.cost.source': 'usage',
  'burnrate.cost.usd': 0.000027,
  ...extra,
});

const points = (s: CumulativeSums): Record<string, string | number>[] =>
  [...s.points()].map((p) => ({ ...p.attributes, value: p.value }));

describe('CostMeter: the money as cumulative counters in the process', () => {
  it('sums cost, tokens and calls per label set, labelled as the Collector labels spans', () => {
    const meter = new CostMeter();
    const env = { 'deployment.environment.name': 'prod', 'burnrate.team': 'payments' };
    for (let i = 0; i < 3; i++) meter.record(span(chat({ 'http.route': '/api/pay' }), env));
    meter.record(span(chat({ 'burnrate.team': 'search', 'burnrate.endpoint': '/q' }), env, true));
    const cost = points(meter.metrics['burnrate.llm.cost.usd']);
    expect(cost).toEqual([
      {
        service: 'checkout',
        environment: 'prod',
        team: 'payments',
        endpoint: '/api/pay',
        tenant: 'unassigned',
        agent: 'unassigned',
        operation: 'chat',
        provider: 'openai',
        model: 'gpt-4o-mini',
        value: 0.000027 * 3,
      },
      expect.objectContaining({ team: 'search', endpoint: '/q', value: 0.000027 }),
    ]);
    const tokens = points(meter.metrics['burnrate.llm.tokens']);
    expect(tokens.filter((t) => t.team === 'payments').map((t) => [t.token_type, t.value])).toEqual(
      [
        ['input', 300],
        ['output', 60],
      ],
    );
    const calls = points(meter.metrics['burnrate.llm.requests']);
    expect(calls.map((c) => [c.team, c.outcome, c.cost_source, c.value])).toEqual([
      ['payments', 'ok', 'usage', 3],
      ['search', 'error', 'usage', 1],
    ]);
  });

  it('labels by agent: a folded agent (burnrate.agent) wins over gen_ai.agent.name', () => {
    const meter = new CostMeter();
    meter.record(span(chat({ 'gen_ai.agent.name': 'planner' })));
    meter.record(span(chat({ 'gen_ai.agent.name': 'planner' })));
    meter.record(span(chat({ 'gen_ai.agent.name': 'agent-51', 'burnrate.agent': 'other' })));
    const cost = points(meter.metrics['burnrate.llm.cost.usd']);
    expect(cost.map((c) => [c.agent, c.value])).toEqual([
      ['planner', 0.000027 * 2],
      ['other', 0.000027],
    ]);
  });

  it('marks a counted span, so the Collector does not count it again, and never counts it twice', () => {
    const meter = new CostMeter();
    const s = span(chat());
    expect(meter.record(s)).toBe(true);
    expect(s.attributes['burnrate.metered']).toBe(true);
    expect(meter.record(s)).toBe(false);
    expect(points(meter.metrics['burnrate.llm.cost.usd'])[0].value).toBe(0.000027);
  });

  it('counts an unpriced call as a call, with no dollars', () => {
    const meter = new CostMeter();
    meter.record(
      span(chat({ 'burnrate.cost.source': 'unpriced', 'burnrate.cost.usd': undefined })),
    );
    expect(meter.metrics['burnrate.llm.cost.usd'].size).toBe(0);
    expect(points(meter.metrics['burnrate.llm.requests'])[0]).toMatchObject({
      cost_source: 'unpriced',
      value: 1,
    });
  });

  it('counts every token type under its own token_type', () => {
    const meter = new CostMeter();
    const tokens = {
      'gen_ai.usage.cache_read.input_tokens': 40,
      'gen_ai.usage.cache_creation.input_tokens': 7,
      'gen_ai.usage.reasoning.output_tokens': 12,
    };
    meter.record(span(chat(tokens)));
    meter.record(span(chat(tokens)));
    const counted = points(meter.metrics['burnrate.llm.tokens']).map((t) => [
      t.token_type,
      t.value,
    ]);
    expect(counted).toEqual([
      ['input', 200],
      ['output', 40],
      ['cache_read', 80],
      ['cache_write', 14],
      ['reasoning', 24],
    ]);
  });

  it('leaves a span with a bad number unmarked, for the Collector to drop and count as invalid', () => {
    const meter = new CostMeter();
    for (const bad of [
      { 'burnrate.cost.usd': Number.NaN },
      { 'burnrate.cost.usd': Number.POSITIVE_INFINITY },
      { 'burnrate.cost.usd': -1 },
      { 'burnrate.cost.usd': 1e308 },
      { 'burnrate.cost.usd': '0.5' },
      { 'gen_ai.usage.input_tokens': 1.5 },
      { 'gen_ai.usage.output_tokens': -3 },
      { 'gen_ai.usage.input_tokens': 2 ** 60 },
      { 'gen_ai.usage.cache_read.input_tokens': Number.NaN },
      { 'gen_ai.usage.cache_creation.input_tokens': -1 },
      { 'gen_ai.usage.reasoning.output_tokens': 0.5 },
    ]) {
      const s = span(chat(bad));
      expect(meter.record(s), JSON.stringify(bad)).toBe(false);
      expect(s.attributes['burnrate.metered']).toBeUndefined();
    }
    expect(meter.metrics['burnrate.llm.requests'].size).toBe(0);
  });

  it('meters vector-database operations and ignores spans Burnrate did not price', () => {
    const meter = new CostMeter();
    const vector = {
      'db.system.name': 'pinecone',
      'db.operation.name': 'query',
      'burnrate.cost.source': 'usage',
      'burnrate.cost.usd': 0.000016,
      'burnrate.tenant': 'acme',
    };
    meter.record(span(vector));
    meter.record(span(vector));
    expect(meter.record(span({ 'http.route': '/x' }))).toBe(false);
    expect(points(meter.metrics['burnrate.vectordb.cost.usd'])).toEqual([
      expect.objectContaining({
        db_system: 'pinecone',
        operation: 'query',
        tenant: 'acme',
        value: 0.000032,
      }),
    ]);
    expect(points(meter.metrics['burnrate.vectordb.operations'])[0].value).toBe(2);
  });

  it('counts dropped spans and their dollars, saying whether the dollars are still metered', () => {
    const meter = new CostMeter();
    const metered = span(chat());
    meter.record(metered);
    meter.recordDropped([metered, span(chat())], 'export_failed');
    const dropped = points(meter.dropped['burnrate.sdk.dropped.cost.usd']);
    expect(dropped.map((d) => [d.reason, d.metered, d.value])).toEqual([
      ['export_failed', 'true', 0.000027],
      ['export_failed', 'false', 0.000027],
    ]);
  });
});
