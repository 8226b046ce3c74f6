import { exchange } from '@burnrate/test-utils';
import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { v2ChatExchange, v2EmbedExchange, v2RerankExchange, v2StreamExchange } from './fixtures.ts';
import { SDKS, useHarness, v1, v2 } from './test-setup.ts';

const h = useHarness({ rerankPrices: { 'rerank-v4.0-pro': 2.5 } });

const MESSAGES = [{ role: 'user' as const, content: 'What does a span record?' }];

describe.each(SDKS)('cohere-ai v$major: v2 API', (sdk) => {
  it('chat: gen_ai.usage.* are the billed units, not the raw token counts', async () => {
    h.replay.add(v2ChatExchange());
    const cohere = v2(sdk, h.replay.url);
    const r = await cohere.chat({ model: 'command-a-03-2025', messages: MESSAGES });
    expect(r.usage?.tokens?.inputTokens).toBe(208);
    const [span] = h.tracing.spans();
    expect(span.name).toBe('chat command-a-03-2025');
    const a = span.attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(12);
    expect(a['gen_ai.usage.output_tokens']).toBe(9);
    expect(a['gen_ai.response.id']).toBe('c14c80c3-18eb-4519-9460-6c92edd8cfb4');
    expect(a['gen_ai.response.finish_reasons']).toEqual(['COMPLETE']);
    // command-a: $2.50 / M input, $10 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((12 * 2.5 + 9 * 10) / 1e6, 12);
    const independent = calcPrice({ input_tokens: 12, output_tokens: 9 }, 'command-a-03-2025', {
      providerId: 'cohere',
    });
    expect(a['burnrate.cost.usd']).toBeCloseTo(independent?.total_price ?? Number.NaN, 12);
    expect(JSON.stringify(a)).not.toContain('span record');
  });

  it('chat through CohereClient#v2 is traced the same', async () => {
    h.replay.add(v2ChatExchange());
    await v1(sdk, h.replay.url).v2.chat({ model: 'command-r', messages: MESSAGES });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(12);
    expect(a['burnrate.cost.usd']).toBeCloseTo((12 * 0.15 + 9 * 0.6) / 1e6, 12);
  });

  it('chatStream: records the message-end usage once', async () => {
    h.replay.add(v2StreamExchange());
    const cohere = v2(sdk, h.replay.url);
    const stream = await cohere.chatStream({ model: 'command-r', messages: MESSAGES });
    let text = '';
    for await (const event of stream)
      if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
    expect(text).toBe('Spans record.');
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.usage.input_tokens']).toBe(12);
    expect(a['gen_ai.usage.output_tokens']).toBe(9);
    expect(a['gen_ai.response.id']).toBe('msg-1');
    expect(a['gen_ai.response.finish_reasons']).toEqual(['COMPLETE']);
    expect(a['burnrate.cost.usd']).toBeCloseTo((12 * 0.15 + 9 * 0.6) / 1e6, 12);
  });

  it('embed: billed input tokens, priced as embeddings', async () => {
    h.replay.add(v2EmbedExchange());
    const cohere = v2(sdk, h.replay.url);
    await cohere.embed({
      model: 'embed-v4.0',
      texts: ['hello', 'world'],
      inputType: 'search_document',
      embeddingTypes: ['float'],
    });
    const [span] = h.tracing.spans();
    expect(span.name).toBe('embeddings embed-v4.0');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(2);
    // embed-v4.0: $0.12 / M input tokens
    expect(span.attributes['burnrate.cost.usd']).toBeCloseTo((2 * 0.12) / 1e6, 12);
  });

  it('rerank: search units x the published price; a configured price for other models', async () => {
    h.replay.add(v2RerankExchange(3));
    h.replay.add(v2RerankExchange(2));
    const cohere = v2(sdk, h.replay.url);
    await cohere.rerank({ model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'] });
    await cohere.rerank({ model: 'rerank-v4.0-pro', query: 'q', documents: ['a', 'b'] });
    const [a, b] = h.tracing.spans().map((s) => s.attributes);
    expect(a['cohere.billed_units.search_units']).toBe(3);
    expect(a['burnrate.cost.usd']).toBeCloseTo(3 * 0.002, 12);
    expect(a['burnrate.pricing.catalog']).toBe('burnrate-cohere-rerank@2026-11');
    expect(b['burnrate.cost.usd']).toBeCloseTo(2 * 0.0025, 12);
    expect(b['burnrate.pricing.catalog']).toBe('instrumentation-config');
  });

  it('records an API error and rethrows the very same error', async () => {
    h.replay.add([
      exchange(
        'POST',
        'https://api.cohere.com/v2/chat',
        { message: 'too many requests' },
        { status: 429 },
      ),
    ]);
    const cohere = v2(sdk, h.replay.url);
    const error = await cohere
      .chat({ model: 'command-r', messages: MESSAGES }, { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.module.Cohere.TooManyRequestsError);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('TooManyRequestsError');
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });
});
