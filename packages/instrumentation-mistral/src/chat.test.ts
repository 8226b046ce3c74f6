import { exchange } from '@burnrate/test-utils';
import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { chatExchange, client, embeddingsExchange, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'What is a span?' }];

describe.each(SDKS)('@mistralai/mistralai v$major: chat and embeddings', (sdk) => {
  it('chat.complete: exact usage, cost = tokens x catalog price', async () => {
    h.replay.add(
      chatExchange('mistral-small-latest', { prompt_tokens: 16, completion_tokens: 34 }),
    );
    const mistral = client(sdk, h.replay.url);
    const r = await mistral.chat.complete({
      model: 'mistral-small-latest',
      messages: MESSAGES,
      temperature: 0.2,
      maxTokens: 100,
    });
    expect(r.usage.promptTokens).toBe(16);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(spans[0].name).toBe('chat mistral-small-latest');
    expect(a['gen_ai.operation.name']).toBe('chat');
    expect(a['gen_ai.provider.name']).toBe('mistral_ai');
    expect(a['gen_ai.request.model']).toBe('mistral-small-latest');
    expect(a['gen_ai.request.max_tokens']).toBe(100);
    expect(a['gen_ai.response.model']).toBe('mistral-small-latest');
    expect(a['gen_ai.response.id']).toBe('cmpl-e5cc70bb28c444948073e77776eb30ef');
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['gen_ai.usage.input_tokens']).toBe(16);
    expect(a['gen_ai.usage.output_tokens']).toBe(34);
    // mistral-small-latest: $0.10 / M input, $0.30 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((16 * 0.1 + 34 * 0.3) / 1e6, 12);
    const independent = calcPrice({ input_tokens: 16, output_tokens: 34 }, 'mistral-small-latest', {
      providerId: 'mistral',
    });
    expect(a['burnrate.cost.usd']).toBeCloseTo(independent?.total_price ?? Number.NaN, 12);
    expect(JSON.stringify(a)).not.toContain('What is a span');
  });

  it('fim.complete is a text completion, priced the same way', async () => {
    h.replay.add(
      chatExchange(
        'codestral-latest',
        { prompt_tokens: 20, completion_tokens: 10 },
        '/v1/fim/completions',
      ),
    );
    const mistral = client(sdk, h.replay.url);
    await mistral.fim.complete({
      model: 'codestral-latest',
      prompt: 'def add(a, b):',
      suffix: 'return c',
    });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.operation.name']).toBe('text_completion');
    // codestral: $0.30 / M input, $0.90 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((20 * 0.3 + 10 * 0.9) / 1e6, 12);
  });

  it('embeddings.create: reported prompt tokens', async () => {
    h.replay.add(embeddingsExchange('mistral-embed', 15, 2));
    const mistral = client(sdk, h.replay.url);
    const r = await mistral.embeddings.create({
      model: 'mistral-embed',
      inputs: ['Embed this sentence.', 'As well as this one.'],
    });
    expect(r.data).toHaveLength(2);
    const [span] = h.tracing.spans();
    expect(span.name).toBe('embeddings mistral-embed');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(15);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(0);
    // mistral-embed: $0.10 / M tokens
    expect(span.attributes['burnrate.cost.usd']).toBeCloseTo((15 * 0.1) / 1e6, 12);
  });

  it('marks an unknown model unpriced, with no cost', async () => {
    h.replay.add(chatExchange('my-finetune-xyz', { prompt_tokens: 5, completion_tokens: 1 }));
    await client(sdk, h.replay.url).chat.complete({ model: 'my-finetune-xyz', messages: MESSAGES });
    const a = h.tracing.spans()[0].attributes;
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
    expect(a['gen_ai.usage.input_tokens']).toBe(5);
  });

  it('records an API error and rethrows the very same error', async () => {
    h.replay.add([
      exchange(
        'POST',
        'https://api.mistral.ai/v1/chat/completions',
        { object: 'error', message: 'Rate limit exceeded', type: 'rate_limited', code: '1300' },
        { status: 429 },
      ),
    ]);
    const error = await client(sdk, h.replay.url)
      .chat.complete({ model: 'mistral-small-latest', messages: MESSAGES })
      .catch((e: unknown) => e);
    expect((error as { statusCode?: number }).statusCode).toBe(429);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe((error as Error).constructor.name);
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });
});
