import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { exchange, loadHar } from '@burnrate/test-utils';
import { embed, generateText, streamText } from 'ai';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chatStreamExchange,
  eventually,
  otelIntegration,
  totalCost,
  useHarness,
} from './test-setup.ts';

const h = useHarness();

/** ai 7.x emits OpenTelemetry spans through the `@ai-sdk/otel` integration (GenAI conventions). */
const telemetry = { integrations: [] as never[] };
beforeAll(async () => {
  telemetry.integrations.push((await otelIntegration()) as never);
});
const PROMPT = 'What is 2+2? Give a brief answer.';

describe('ai 7.x with @ai-sdk/otel: the AI SDK spans priced, each call once', () => {
  it('OpenAI Responses (recorded): the chat span carries the exact tokens and cost, the agent span none', async () => {
    h.replay.add(
      loadHar('vercel-ai-sdk/should-capture-OpenAI-provider-spans-correctly-with-recording.har'),
    );
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    const r = await generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT, telemetry });
    expect(r.usage.inputTokens).toBe(19);
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    const a = priced[0].attributes;
    expect(priced[0].name).toBe('chat gpt-3.5-turbo');
    expect(a['gen_ai.provider.name']).toBe('openai');
    expect(a['gen_ai.usage.input_tokens']).toBe(19);
    expect(a['gen_ai.usage.output_tokens']).toBe(8);
    // gpt-3.5-turbo-0125: $0.50 / M input, $1.50 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((19 * 0.5 + 8 * 1.5) / 1e6, 12);
    const agent = h.spans().find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(agent?.attributes['gen_ai.usage.input_tokens']).toBe(19);
    expect(agent?.attributes['burnrate.cost.usd']).toBeUndefined();
    expect(totalCost(h.spans())).toBeCloseTo((19 * 0.5 + 8 * 1.5) / 1e6, 12);
  });

  it('Anthropic (recorded): cache writes are part of the input and priced at the cache-write price', async () => {
    const har = loadHar(
      'vercel-ai-sdk/should-capture-and-transform-Anthropic-cache-tokens-from-providerMetadata.har',
    );
    h.replay.add(har);
    const anthropic = createAnthropic({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    await generateText({ model: anthropic('claude-3-haiku-20240307'), prompt: PROMPT, telemetry });
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    const a = priced[0].attributes;
    expect(a['gen_ai.provider.name']).toBe('anthropic');
    // Recorded usage: input_tokens 1231 (uncached), cache_creation_input_tokens 1200, output 5.
    expect(a['gen_ai.usage.input_tokens']).toBe(2431);
    expect(a['gen_ai.usage.cache_creation.input_tokens']).toBe(1200);
    // claude-3-haiku: $0.25 / M input, $0.30 / M cache write, $1.25 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((1231 * 0.25 + 1200 * 0.3 + 5 * 1.25) / 1e6, 12);
    expect(a['burnrate.cost.cache_write_usd']).toBeCloseTo((1200 * 0.3) / 1e6, 12);
  });

  it('Google Gemini (recorded) through @ai-sdk/google', async () => {
    h.replay.add(
      loadHar(
        'vercel-ai-sdk/should-capture-Google-Gemini-provider-spans-correctly-with-recording.har',
      ),
    );
    const google = createGoogleGenerativeAI({
      apiKey: 'test-key',
      baseURL: `${h.replay.url}/v1beta`,
    });
    await generateText({ model: google('gemini-1.5-flash'), prompt: PROMPT, telemetry });
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    const a = priced[0].attributes;
    expect(a['gen_ai.provider.name']).toBe('gcp.gemini');
    expect(a['gen_ai.usage.input_tokens']).toBe(12);
    expect(a['gen_ai.usage.output_tokens']).toBe(2);
    // gemini-1.5-flash (<= 128k prompt): $0.075 / M input, $0.30 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((12 * 0.075 + 2 * 0.3) / 1e6, 12);
  });

  it('streamText: one priced span with the stream usage', async () => {
    h.replay.add([
      chatStreamExchange({ prompt_tokens: 14, completion_tokens: 1, total_tokens: 15 }),
    ]);
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt: PROMPT, telemetry });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toBe('4');
    await result.usage;
    await eventually(() => h.priced().length > 0);
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    expect(priced[0].attributes['gen_ai.usage.input_tokens']).toBe(14);
    // gpt-4o-mini: $0.15 / M input, $0.60 / M output
    expect(priced[0].attributes['burnrate.cost.usd']).toBeCloseTo((14 * 0.15 + 1 * 0.6) / 1e6, 12);
  });

  it('embed: the operation span and the call span nest; the call is priced once', async () => {
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
      value: 'sunny day at the beach',
      telemetry,
    });
    const embeddingSpans = h
      .spans()
      .filter((s) => s.attributes['gen_ai.operation.name'] === 'embeddings');
    expect(embeddingSpans.length).toBeGreaterThanOrEqual(2);
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    // text-embedding-3-small: $0.02 / M tokens
    expect(totalCost(h.spans())).toBeCloseTo((7 * 0.02) / 1e6, 12);
  });
});

describe('ai 7.x with the integration registered globally (registerTelemetry)', () => {
  it('prices calls that pass no telemetry option', async () => {
    const { registerTelemetry } = await import('ai');
    registerTelemetry((await otelIntegration()) as never);
    h.replay.add(
      loadHar('vercel-ai-sdk/should-capture-OpenAI-provider-spans-correctly-with-recording.har'),
    );
    const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${h.replay.url}/v1` });
    await generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT });
    const priced = h.priced();
    expect(priced).toHaveLength(1);
    expect(priced[0].attributes['burnrate.cost.usd']).toBeCloseTo((19 * 0.5 + 8 * 1.5) / 1e6, 12);
  });
});
