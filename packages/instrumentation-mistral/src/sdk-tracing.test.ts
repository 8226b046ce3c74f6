import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatExchange, client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'What is a span?' }];

describe('@mistralai/mistralai v2 tracing itself (MISTRAL_SDK_TELEMETRY=global)', () => {
  beforeEach(() => {
    process.env.MISTRAL_SDK_TELEMETRY = 'global';
  });
  afterEach(() => {
    delete process.env.MISTRAL_SDK_TELEMETRY;
  });

  it('one call is one span: the SDK own span, priced and attributed by BurnrateSpanProcessor', async () => {
    h.replay.add(
      chatExchange('mistral-small-latest', { prompt_tokens: 16, completion_tokens: 34 }),
    );
    await client(SDKS[0], h.replay.url).chat.complete({
      model: 'mistral-small-latest',
      messages: MESSAGES,
    });
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].instrumentationScope.name).toBe('mistralai_sdk_tracer');
    const a = spans[0].attributes;
    expect(a['gen_ai.provider.name']).toBe('mistral_ai');
    expect(a['gen_ai.usage.input_tokens']).toBe(16);
    expect(a['gen_ai.usage.output_tokens']).toBe(34);
    expect(a['burnrate.cost.source']).toBe('usage');
    expect(a['burnrate.cost.usd']).toBeCloseTo((16 * 0.1 + 34 * 0.3) / 1e6, 12);
  });

  it('1.x has no tracing of its own: Burnrate records the call', async () => {
    h.replay.add(
      chatExchange('mistral-small-latest', { prompt_tokens: 16, completion_tokens: 34 }),
    );
    await client(SDKS[1], h.replay.url).chat.complete({
      model: 'mistral-small-latest',
      messages: MESSAGES,
    });
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].instrumentationScope.name).toBe('@burnrate/instrumentation-mistral');
    expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo((16 * 0.1 + 34 * 0.3) / 1e6, 12);
  });
});

describe('@mistralai/mistralai v2 with its tracing off (the default)', () => {
  it('Burnrate records the call, and the SDK adds no span', async () => {
    h.replay.add(
      chatExchange('mistral-small-latest', { prompt_tokens: 16, completion_tokens: 34 }),
    );
    await client(SDKS[0], h.replay.url).chat.complete({
      model: 'mistral-small-latest',
      messages: MESSAGES,
    });
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].instrumentationScope.name).toBe('@burnrate/instrumentation-mistral');
  });
});
