import { setPricer } from '@burnrate/core';
import { getDefaultPricer, type Pricer } from '@burnrate/pricing';
import { loadHar } from '@burnrate/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { client, SDKS, type Sdk, useHarness } from './test-setup.ts';

const h = useHarness();
const REQUEST = {
  model: 'claude-3-opus-20240229',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }],
};
const COST = (17 * 15 + 137 * 75) / 1e6;

async function oneCall(sdk: Sdk, options: Record<string, unknown> = {}) {
  h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages.har'));
  return client(sdk, h.replay.url, options).messages.create(REQUEST);
}

const SELF_TRACING = SDKS.filter((s) => s.tracesItself);

describe.each(SELF_TRACING)(
  '@anthropic-ai/sdk $label traces itself: one call, one span, one cost',
  (sdk) => {
    it('prices the SDK own span (global TracerProvider registered) and adds no span of its own', async () => {
      await oneCall(sdk);
      const spans = h.tracing.spans();
      expect(spans).toHaveLength(1);
      expect(spans[0].instrumentationScope.name).toBe('com.anthropic.sdk.typescript');
      expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo(COST, 12);
    });

    it('records its own span when the client turns its tracing off (openTelemetry: false)', async () => {
      await oneCall(sdk, { openTelemetry: false });
      const spans = h.tracing.spans();
      expect(spans).toHaveLength(1);
      expect(spans[0].instrumentationScope.name).toBe('@burnrate/instrumentation-anthropic');
      expect(spans[0].name).toBe('chat claude-3-opus-20240229');
      expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo(COST, 12);
    });

    it('the messages.stream() helper of a client with its tracing off gets Burnrate span', async () => {
      h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages-streaming.har'));
      const final = await client(sdk, h.replay.url, { openTelemetry: false })
        .messages.stream(REQUEST)
        .finalMessage();
      expect(final.usage.output_tokens).toBe(158);
      await new Promise((r) => setTimeout(r, 20));
      const spans = h.tracing.spans();
      expect(spans).toHaveLength(1);
      expect(spans[0].instrumentationScope.name).toBe('@burnrate/instrumentation-anthropic');
      expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo((17 * 15 + 158 * 75) / 1e6, 12);
    });

    it('records its own span when ANTHROPIC_OPEN_TELEMETRY=false', async () => {
      process.env.ANTHROPIC_OPEN_TELEMETRY = 'false';
      try {
        await oneCall(sdk);
      } finally {
        delete process.env.ANTHROPIC_OPEN_TELEMETRY;
      }
      const spans = h.tracing.spans();
      expect(spans).toHaveLength(1);
      expect(spans[0].instrumentationScope.name).toBe('@burnrate/instrumentation-anthropic');
      expect(spans[0].attributes['gen_ai.usage.output_tokens']).toBe(137);
    });
  },
);

describe.each(SDKS)('@anthropic-ai/sdk $label: fails open', (sdk) => {
  afterEach(() => setPricer(undefined));

  it('a throwing pricer changes nothing the caller sees, and the span still ends', async () => {
    const throwing: Pricer = {
      ...getDefaultPricer(),
      priceModelCall() {
        throw new Error('pricer exploded');
      },
    };
    const clean = await oneCall(sdk);
    h.tracing.reset();
    setPricer(throwing);
    const traced = await oneCall(sdk);
    expect(traced).toEqual(clean);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['burnrate.cost.usd']).toBeUndefined();
    expect(spans[0].status.code).not.toBe(2);
  });

  it('patching the same copy twice still gives one span', async () => {
    h.instrumentation.patchExports('@anthropic-ai/sdk', { Anthropic: sdk.module });
    await oneCall(sdk);
    expect(h.tracing.spans()).toHaveLength(1);
  });
});

describe('@anthropic-ai/sdk 0.133.0 (no built-in tracing)', () => {
  it('a disabled instrumentation records nothing and changes nothing', async () => {
    const sdk = SDKS[2];
    h.instrumentation.disable();
    try {
      const message = await oneCall(sdk);
      expect(message.usage.output_tokens).toBe(137);
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});

describe.each(SDKS)('@anthropic-ai/sdk $label under another instrumentation GenAI span', (sdk) => {
  it('prices the call once: the outer span (OpenLLMetry-style) is not priced', async () => {
    const { trace } = await import('@opentelemetry/api');
    const tracer = trace.getTracer('openllmetry-like');
    await tracer.startActiveSpan(
      'anthropic.chat',
      {
        attributes: {
          'gen_ai.system': 'anthropic',
          'gen_ai.request.model': 'claude-3-opus-20240229',
        },
      },
      async (outer) => {
        await oneCall(sdk);
        outer.setAttributes({
          'gen_ai.usage.prompt_tokens': 17,
          'gen_ai.usage.completion_tokens': 137,
        });
        outer.end();
      },
    );
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(2);
    const priced = spans.filter((s) => typeof s.attributes['burnrate.cost.usd'] === 'number');
    expect(priced).toHaveLength(1);
    expect(priced[0].name).not.toBe('anthropic.chat');
    expect(priced[0].attributes['burnrate.cost.usd']).toBeCloseTo(COST, 12);
  });
});
