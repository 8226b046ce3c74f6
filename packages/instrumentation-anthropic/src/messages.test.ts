import { withAttribution } from '@burnrate/core';
import { exchange, loadHar } from '@burnrate/test-utils';
import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { client, SDKS, spanName, useHarness } from './test-setup.ts';

const h = useHarness();

/** Catalog price of a call, computed by genai-prices itself (an independent path from ours). */
function catalogPrice(model: string, usage: Record<string, number>): number {
  const r = calcPrice(usage, model, { providerId: 'anthropic' });
  if (!r) throw new Error(`no catalog price for ${model}`);
  return r.total_price;
}

describe.each(SDKS)('@anthropic-ai/sdk $label: messages.create', (sdk) => {
  it('records the recorded usage exactly on one span, and cost = tokens x catalog price', async () => {
    h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages.har'));
    const anthropic = client(sdk, h.replay.url);
    const message = await anthropic.messages.create({
      model: 'claude-3-opus-20240229',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
    });
    expect(message.usage.input_tokens).toBe(17);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span.name).toBe(spanName(sdk, 'claude-3-opus-20240229'));
    const a = span.attributes;
    expect(a['gen_ai.operation.name']).toBe('chat');
    expect(a['gen_ai.provider.name']).toBe('anthropic');
    expect(a['gen_ai.request.model']).toBe('claude-3-opus-20240229');
    expect(a['gen_ai.response.model']).toBe('claude-3-opus-20240229');
    expect(a['gen_ai.usage.input_tokens']).toBe(17);
    expect(a['gen_ai.usage.output_tokens']).toBe(137);
    expect(a['burnrate.cost.source']).toBe('usage');
    // Claude 3 Opus: $15 / M input, $75 / M output (Anthropic's price list, genai-prices catalog)
    expect(a['burnrate.cost.input_usd']).toBeCloseTo((17 * 15) / 1e6, 12);
    expect(a['burnrate.cost.output_usd']).toBeCloseTo((137 * 75) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo(
      catalogPrice('claude-3-opus-20240229', { input_tokens: 17, output_tokens: 137 }),
      12,
    );
    expect(JSON.stringify(a)).not.toContain('OpenTelemetry');
  });

  it('prices a system-prompt call from the recording', async () => {
    h.replay.add(loadHar('anthropic/should-place-system-prompt-first-for-messages.har'));
    const anthropic = client(sdk, h.replay.url);
    await anthropic.messages.create({
      model: 'claude-3-opus-20240229',
      max_tokens: 10,
      system: 'You are a helpful assistant',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
    });
    const [span] = h.tracing.spans();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(14);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(10);
    expect(span.attributes['burnrate.cost.usd']).toBeCloseTo((14 * 15 + 10 * 75) / 1e6, 12);
    expect(JSON.stringify(span.attributes)).not.toContain('helpful assistant');
  });

  it('prices extended-thinking output (beta.messages, recorded) as output tokens', async () => {
    h.replay.add(
      loadHar('anthropic/should-set-attributes-in-span-for-beta-messages-with-thinking.har'),
    );
    const anthropic = client(sdk, h.replay.url);
    const message = await anthropic.beta.messages.create({
      model: 'claude-opus-4-1-20250805',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'What is 2+2? Think through this step by step.' }],
    });
    expect(message.content[0].type).toBe('thinking');
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(49);
    // The thinking block is billed as output: it is inside output_tokens.
    expect(a['gen_ai.usage.output_tokens']).toBe(186);
    // Claude Opus 4.1: $15 / M input, $75 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((49 * 15 + 186 * 75) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo(
      catalogPrice('claude-opus-4-1-20250805', { input_tokens: 49, output_tokens: 186 }),
      12,
    );
    expect(JSON.stringify(a)).not.toContain('arithmetic');
  });

  it('records an API error on the one span and rethrows the very same error', async () => {
    h.replay.add([
      exchange(
        'POST',
        'https://api.anthropic.com/v1/messages',
        {
          type: 'error',
          error: {
            type: 'rate_limit_error',
            message: 'Number of request tokens has exceeded your rate limit',
          },
        },
        { status: 429 },
      ),
    ]);
    const anthropic = client(sdk, h.replay.url);
    const error = await anthropic.messages
      .create({
        model: 'claude-haiku-4-5',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.module.RateLimitError);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).toBe(2);
    expect(spans[0].attributes['error.type']).toBeTruthy();
    expect(spans[0].attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('gives the span the attribution scope of the call', async () => {
    h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages.har'));
    const anthropic = client(sdk, h.replay.url);
    await withAttribution({ team: 'search', endpoint: '/answers' }, () =>
      anthropic.messages.create({
        model: 'claude-3-opus-20240229',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    const a = h.tracing.spans()[0].attributes;
    expect(a['burnrate.team']).toBe('search');
    expect(a['burnrate.endpoint']).toBe('/answers');
  });

  it('keeps withResponse() and asResponse() working, with an unread body for asResponse', async () => {
    h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages.har'));
    const anthropic = client(sdk, h.replay.url);
    const body = {
      model: 'claude-3-opus-20240229',
      max_tokens: 1024,
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    const { data, response } = await anthropic.messages.create(body).withResponse();
    expect(data.id).toBe('msg_01ABEG1nJ4BqCbQR4BUANnCB');
    expect(response.status).toBe(200);
    const raw = await anthropic.messages.create(body).asResponse();
    const json = (await raw.json()) as { usage: { output_tokens: number } };
    expect(json.usage.output_tokens).toBe(137);
  });
});
