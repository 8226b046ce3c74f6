import { exchange, loadHar } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { SDKS, useHarness, v1 } from './test-setup.ts';

const h = useHarness();

const HAR = 'cohere/should-set-request-and-response-attributes-in-span-for-given-';

describe.each(SDKS)('cohere-ai v$major: v1 API (recorded)', (sdk) => {
  it('generate: records the billed units exactly, cost = tokens x catalog price', async () => {
    h.replay.add(loadHar(`${HAR}prompt.har`));
    const cohere = v1(sdk, h.replay.url);
    const r = await cohere.generate({
      model: 'command-light',
      prompt: 'What happened to Pluto?',
      k: 1,
      temperature: 2,
    });
    expect(r.generations[0].text).toContain('Pluto');
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(spans[0].name).toBe('text_completion command-light');
    expect(a['gen_ai.operation.name']).toBe('text_completion');
    expect(a['gen_ai.provider.name']).toBe('cohere');
    expect(a['gen_ai.request.model']).toBe('command-light');
    expect(a['gen_ai.request.temperature']).toBe(2);
    expect(a['gen_ai.response.id']).toBe('9f5abe3b-208a-41bc-8410-57ad1c3c4f13');
    expect(a['gen_ai.usage.input_tokens']).toBe(5);
    expect(a['gen_ai.usage.output_tokens']).toBe(57);
    expect(a['burnrate.cost.source']).toBe('usage');
    // command-light: $0.30 / M input, $0.60 / M output (genai-prices catalog, provider cohere)
    expect(a['burnrate.cost.usd']).toBeCloseTo((5 * 0.3 + 57 * 0.6) / 1e6, 12);
    expect(a['burnrate.pricing.model']).toBe('command-light');
    expect(JSON.stringify(a)).not.toContain('Pluto');
  });

  it('generateStream: records the stream-end billed units once', async () => {
    h.replay.add(loadHar(`${HAR}prompt-with-Streaming-respons.har`));
    const cohere = v1(sdk, h.replay.url);
    const stream = await cohere.generateStream({
      model: 'command-light',
      prompt: 'What happened to Pluto?',
      k: 1,
      temperature: 2,
    });
    let text = '';
    for await (const event of stream) if (event.eventType === 'text-generation') text += event.text;
    expect(text).toContain('dwarf planet');
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.usage.input_tokens']).toBe(5);
    expect(a['gen_ai.usage.output_tokens']).toBe(55);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['COMPLETE']);
    expect(a['burnrate.cost.usd']).toBeCloseTo((5 * 0.3 + 55 * 0.6) / 1e6, 12);
  });

  it('chatStream without a model: exact billed tokens, unpriced (the default model is not guessed)', async () => {
    h.replay.add(loadHar(`${HAR}prompt-with-stream.har`));
    const cohere = v1(sdk, h.replay.url);
    const stream = await cohere.chatStream({
      chatHistory: [
        { role: 'USER', message: 'Who discovered gravity?' },
        {
          role: 'CHATBOT',
          message: 'The man who is widely credited with discovering gravity is Sir Isaac Newton',
        },
      ],
      message: 'What year was he born?',
      connectors: [{ id: 'web-search' }],
    });
    for await (const _ of stream) {
      /* drain */
    }
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.operation.name']).toBe('chat');
    expect(a['gen_ai.usage.input_tokens']).toBe(23);
    expect(a['gen_ai.usage.output_tokens']).toBe(78);
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
  });

  it('chatStream with a model: priced from the billed units', async () => {
    h.replay.add(loadHar(`${HAR}prompt-with-stream.har`));
    const cohere = v1(sdk, h.replay.url);
    const stream = await cohere.chatStream({
      model: 'command-r',
      message: 'What year was he born?',
    });
    for await (const _ of stream) {
      /* drain */
    }
    const a = h.tracing.spans()[0].attributes;
    // command-r: $0.15 / M input, $0.60 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((23 * 0.15 + 78 * 0.6) / 1e6, 12);
  });

  it('chat (v1 API): the billed units, not meta.tokens (written from the v1 reference)', async () => {
    h.replay.add([
      exchange('POST', 'https://api.cohere.com/v1/chat', {
        response_id: 'r-v1',
        text: 'Isaac Newton was born in 1643.',
        generation_id: 'g-v1',
        chat_history: [],
        finish_reason: 'COMPLETE',
        meta: {
          api_version: { version: '1' },
          billed_units: { input_tokens: 23, output_tokens: 9 },
          tokens: { input_tokens: 89, output_tokens: 9 },
        },
      }),
    ]);
    const cohere = v1(sdk, h.replay.url);
    const r = await cohere.chat({ model: 'command-r-plus', message: 'When was Newton born?' });
    expect(r.text).toContain('1643');
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.response.id']).toBe('r-v1');
    expect(a['gen_ai.usage.input_tokens']).toBe(23);
    expect(a['gen_ai.usage.output_tokens']).toBe(9);
    // command-r-plus: $2.50 / M input, $10 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((23 * 2.5 + 9 * 10) / 1e6, 12);
  });

  it('ends a stream span once on early break', async () => {
    h.replay.add(loadHar(`${HAR}prompt-with-Streaming-respons.har`));
    const cohere = v1(sdk, h.replay.url);
    const stream = await cohere.generateStream({
      model: 'command-light',
      prompt: 'What happened to Pluto?',
    });
    for await (const _ of stream) break;
    await new Promise((r) => setTimeout(r, 20));
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).not.toBe(2);
    expect(spans[0].attributes['burnrate.cost.source']).toBe('estimated');
  });

  it('rerank: priced per search unit (rerank-english-v3.0: $2.00 / 1K searches)', async () => {
    h.replay.add(loadHar(`${HAR}documents.har`));
    const cohere = v1(sdk, h.replay.url);
    const r = await cohere.rerank({
      model: 'rerank-english-v3.0',
      query: 'What is the capital of the United States?',
      documents: [
        'Carson City is the capital city of the American state of Nevada.',
        'Washington, D.C. is the capital.',
      ],
      topN: 3,
      returnDocuments: true,
    });
    expect(r.results[0].index).toBe(2);
    const [span] = h.tracing.spans();
    expect(span.name).toBe('rerank rerank-english-v3.0');
    const a = span.attributes;
    expect(a['gen_ai.operation.name']).toBe('rerank');
    expect(a['cohere.billed_units.search_units']).toBe(1);
    expect(a['burnrate.cost.source']).toBe('usage');
    expect(a['burnrate.cost.usd']).toBeCloseTo(0.002, 12);
    expect(a['burnrate.pricing.model']).toBe('rerank-english-v3.0');
  });

  it('rerank without a model is unpriced, with its search units recorded', async () => {
    h.replay.add(loadHar(`${HAR}documents.har`));
    const cohere = v1(sdk, h.replay.url);
    await cohere.rerank({ query: 'q', documents: ['a', 'b'] });
    const a = h.tracing.spans()[0].attributes;
    expect(a['cohere.billed_units.search_units']).toBe(1);
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
  });
});
