import { exchange, loadHar } from '@burnrate/test-utils';
import { createOpenAI } from 'ai-sdk-openai-v3';
import { embed, generateText, streamText } from 'ai-v6';
import { describe, expect, it } from 'vitest';
import { chatStreamExchange, eventually, totalCost, useHarness } from './test-setup.ts';

const h = useHarness();

const PROMPT = 'What is 2+2? Give a brief answer.';
const telemetry = { isEnabled: true };

describe('ai 6.x built-in telemetry (experimental_telemetry): provider-call spans priced, wrappers skipped', () => {
  it('generateText (recorded OpenAI Responses): ai.generateText.doGenerate carries the cost', async () => {
    h.replay.add(
      loadHar('vercel-ai-sdk/should-transform-OpenAI-provider-spans-correctly-with-recording.har'),
    );
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    await generateText({
      model: openai('gpt-3.5-turbo'),
      prompt: PROMPT,
      experimental_telemetry: telemetry,
    });
    const names = h
      .spans()
      .map((s) => s.name)
      .sort();
    expect(names).toEqual(['ai.generateText', 'ai.generateText.doGenerate']);
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    expect(priced[0].name).toBe('ai.generateText.doGenerate');
    const a = priced[0].attributes;
    expect(a['gen_ai.provider.name']).toBe('openai');
    expect(a['gen_ai.operation.name']).toBe('chat');
    expect(a['gen_ai.usage.input_tokens']).toBe(19);
    expect(a['gen_ai.usage.output_tokens']).toBe(10);
    // gpt-3.5-turbo-0125: $0.50 / M input, $1.50 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((19 * 0.5 + 10 * 1.5) / 1e6, 12);
    expect(a['burnrate.pricing.model']).toContain('gpt-3.5-turbo');
    expect(totalCost(h.spans())).toBeCloseTo((19 * 0.5 + 10 * 1.5) / 1e6, 12);
  });

  it('reads cached input tokens as a subset of the input (recorded OpenAI cache fixture)', async () => {
    h.replay.add(
      loadHar(
        'vercel-ai-sdk/should-capture-and-transform-OpenAI-cache-tokens-from-providerMetadata.har',
      ),
    );
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    await generateText({
      model: openai('gpt-4o-mini'),
      prompt: PROMPT,
      experimental_telemetry: telemetry,
    });
    const [span] = h.priced();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(330);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(9);
    // gpt-4o-mini: $0.15 / M input, $0.60 / M output
    expect(span.attributes['burnrate.cost.usd']).toBeCloseTo((330 * 0.15 + 9 * 0.6) / 1e6, 12);
  });

  it('streamText: ai.streamText.doStream priced once', async () => {
    h.replay.add([
      chatStreamExchange({
        prompt_tokens: 1200,
        completion_tokens: 3,
        total_tokens: 1203,
        prompt_tokens_details: { cached_tokens: 1024 },
      }),
    ]);
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    const result = streamText({
      model: openai.chat('gpt-4o-mini'),
      prompt: PROMPT,
      experimental_telemetry: telemetry,
    });
    for await (const _ of result.textStream) {
      /* drain */
    }
    await result.usage;
    await eventually(() => h.priced().length > 0);
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    expect(priced[0].name).toBe('ai.streamText.doStream');
    const a = priced[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(1200);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(1024);
    // gpt-4o-mini: $0.15 / M input, $0.075 / M cached input, $0.60 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((176 * 0.15 + 1024 * 0.075 + 3 * 0.6) / 1e6, 12);
  });

  it('embed: ai.embed.doEmbed priced from ai.usage.tokens, the ai.embed wrapper skipped', async () => {
    h.replay.add([
      exchange('POST', 'https://api.openai.com/v1/embeddings', {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 7, total_tokens: 7 },
      }),
    ]);
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    await embed({
      model: openai.embedding('text-embedding-3-small'),
      value: 'sunny day',
      experimental_telemetry: telemetry,
    });
    const priced = h.priced();
    expect(priced.map((s) => s.name)).toEqual(['ai.embed.doEmbed']);
    expect(priced[0].attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(priced[0].attributes['burnrate.cost.usd']).toBeCloseTo((7 * 0.02) / 1e6, 12);
  });

  it('records nothing when the AI SDK telemetry is off', async () => {
    h.replay.add(
      loadHar('vercel-ai-sdk/should-transform-OpenAI-provider-spans-correctly-with-recording.har'),
    );
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    await generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT });
    expect(h.spans()).toHaveLength(0);
  });
});
