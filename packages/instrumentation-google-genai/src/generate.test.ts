import { exchange } from '@burnrate/test-utils';
import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { generateExchange } from './fixtures.ts';
import { gemini, SDKS, useHarness, vertex } from './test-setup.ts';

const h = useHarness();

/** Catalog price computed by genai-prices itself (an independent path from Burnrate's). */
function catalogPrice(model: string, usage: Record<string, number>): number {
  const r = calcPrice(usage, model, { providerId: 'google' });
  if (!r) throw new Error(`no catalog price for ${model}`);
  return r.total_price;
}

describe.each(SDKS)('@google/genai v$major: generateContent', (sdk) => {
  it('records usageMetadata exactly, thoughts billed as output, cost = tokens x catalog price', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'Spans are like breadcrumbs.', {
        promptTokenCount: 9,
        candidatesTokenCount: 12,
        thoughtsTokenCount: 230,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    const r = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Explain OpenTelemetry spans',
    });
    expect(r.text).toBe('Spans are like breadcrumbs.');
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(spans[0].name).toBe('generate_content gemini-2.5-flash');
    expect(a['gen_ai.operation.name']).toBe('generate_content');
    expect(a['gen_ai.provider.name']).toBe('gcp.gemini');
    expect(a['gen_ai.request.model']).toBe('gemini-2.5-flash');
    expect(a['gen_ai.response.model']).toBe('gemini-2.5-flash');
    expect(a['gen_ai.response.id']).toBe('resp-gen-1');
    expect(a['gen_ai.response.finish_reasons']).toEqual(['STOP']);
    expect(a['gen_ai.usage.input_tokens']).toBe(9);
    expect(a['gen_ai.usage.output_tokens']).toBe(242); // 12 candidates + 230 thoughts
    expect(a['gen_ai.usage.reasoning.output_tokens']).toBe(230);
    expect(a['burnrate.cost.source']).toBe('usage');
    // gemini-2.5-flash: $0.30 / M input, $2.50 / M output (thinking included)
    expect(a['burnrate.cost.input_usd']).toBeCloseTo((9 * 0.3) / 1e6, 12);
    expect(a['burnrate.cost.output_usd']).toBeCloseTo((242 * 2.5) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo(
      catalogPrice('gemini-2.5-flash', { input_tokens: 9, output_tokens: 242 }),
      12,
    );
    expect(a['burnrate.pricing.model']).toBe('gemini-2.5-flash');
    expect(JSON.stringify(a)).not.toContain('OpenTelemetry spans');
  });

  it('prices cached content once, at the cache price (promptTokenCount includes it)', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'ok', {
        promptTokenCount: 10_000,
        cachedContentTokenCount: 8_000,
        candidatesTokenCount: 50,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'x',
      config: { cachedContent: 'cachedContents/abc' },
    });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(10_000);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(8_000);
    // $0.30 / M uncached input, $0.03 / M cached input, $2.50 / M output
    expect(a['burnrate.cost.input_usd']).toBeCloseTo((2_000 * 0.3) / 1e6, 12);
    expect(a['burnrate.cost.cache_read_usd']).toBeCloseTo((8_000 * 0.03) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo(
      catalogPrice('gemini-2.5-flash', {
        input_tokens: 10_000,
        cache_read_tokens: 8_000,
        output_tokens: 50,
      }),
      12,
    );
  });

  it('applies the long-context tier of gemini-2.5-pro above 200k prompt tokens', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-pro', 'a', {
        promptTokenCount: 200_000,
        candidatesTokenCount: 100,
      }),
    );
    h.replay.add(
      generateExchange('gemini-2.5-pro', 'b', {
        promptTokenCount: 250_000,
        candidatesTokenCount: 100,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'x' });
    await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'y' });
    const [at, above] = h.tracing.spans().map((s) => s.attributes);
    // <= 200k: $1.25 / M input, $10 / M output; > 200k: $2.50 / M input, $15 / M output
    expect(at['burnrate.cost.usd']).toBeCloseTo((200_000 * 1.25 + 100 * 10) / 1e6, 12);
    expect(above['burnrate.cost.usd']).toBeCloseTo((250_000 * 2.5 + 100 * 15) / 1e6, 12);
    expect(above['burnrate.cost.usd']).toBeCloseTo(
      catalogPrice('gemini-2.5-pro', { input_tokens: 250_000, output_tokens: 100 }),
      12,
    );
  });

  it('counts tool-use prompt tokens as input', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'ok', {
        promptTokenCount: 100,
        toolUsePromptTokenCount: 400,
        candidatesTokenCount: 20,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(500);
    expect(a['burnrate.cost.usd']).toBeCloseTo((500 * 0.3 + 20 * 2.5) / 1e6, 12);
  });

  it('traces Vertex AI clients as gcp.vertex_ai, priced from the same Google catalog', async () => {
    h.replay.add(
      generateExchange(
        'gemini-2.0-flash-001',
        'ok',
        { promptTokenCount: 1_000, candidatesTokenCount: 200 },
        true,
      ),
    );
    const ai = vertex(sdk, h.replay.url);
    await ai.models.generateContent({ model: 'gemini-2.0-flash-001', contents: 'x' });
    expect(h.replay.requests[0].path).toContain(
      '/publishers/google/models/gemini-2.0-flash-001:generateContent',
    );
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.provider.name']).toBe('gcp.vertex_ai');
    expect(a['gen_ai.usage.input_tokens']).toBe(1_000);
    // gemini-2.0-flash: $0.10 / M input, $0.40 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((1_000 * 0.1 + 200 * 0.4) / 1e6, 12);
    expect(a['burnrate.pricing.model']).toBe('gemini-2.0-flash');
  });

  it('records one span per API call of a chat', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'Hello!', {
        promptTokenCount: 4,
        candidatesTokenCount: 2,
      }),
    );
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'Fine.', {
        promptTokenCount: 12,
        candidatesTokenCount: 3,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    const chat = ai.chats.create({ model: 'gemini-2.5-flash' });
    await chat.sendMessage({ message: 'Hi' });
    await chat.sendMessage({ message: 'How are you?' });
    const spans = h.tracing.spans();
    expect(spans.map((s) => s.attributes['gen_ai.usage.input_tokens'])).toEqual([4, 12]);
    expect(chat.getHistory()).toHaveLength(4);
  });

  it('marks an unknown (tuned) model unpriced, with no cost', async () => {
    h.replay.add([
      exchange(
        'POST',
        'https://generativelanguage.googleapis.com/tunedModels/my-tune-123:generateContent',
        {
          candidates: [
            { content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' },
          ],
          usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6 },
        },
      ),
    ]);
    const ai = gemini(sdk, h.replay.url);
    await ai.models.generateContent({ model: 'tunedModels/my-tune-123', contents: 'x' });
    const a = h.tracing.spans()[0].attributes;
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
    expect(a['gen_ai.usage.input_tokens']).toBe(5);
  });

  it('records an API error and rethrows the very same error', async () => {
    const body = {
      error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' },
    };
    h.replay.add([
      exchange(
        'POST',
        'https://generativelanguage.googleapis.com/models/gemini-2.5-flash:generateContent',
        body,
        { status: 429 },
      ),
    ]);
    const ai = gemini(sdk, h.replay.url);
    const error = await ai.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'x' })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(429);
    expect((error as Error).constructor.name).toBe('ApiError');
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('ApiError');
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });
});
