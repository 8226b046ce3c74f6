import { loadHar } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { Bedrock, client, settle, useHarness } from './test-setup.ts';

const h = useHarness();
const PROMPT = 'What are the 4 cardinal directions?';

/** Replays one recording (bedrock/<name>.har) to the real client over HTTP/2. */
function replay(name: string): void {
  h.replay.add(loadHar(`bedrock/${name}.har`));
}

async function invoke(modelId: string, body: object) {
  const out = await client(h.replay.url).send(
    new Bedrock.InvokeModelCommand({
      modelId,
      body: JSON.stringify(body),
      contentType: 'application/json',
    }),
  );
  return JSON.parse(new TextDecoder().decode(out.body)) as Record<string, unknown>;
}

async function invokeStream(modelId: string, body: object): Promise<number> {
  const out = await client(h.replay.url).send(
    new Bedrock.InvokeModelWithResponseStreamCommand({
      modelId,
      body: JSON.stringify(body),
      contentType: 'application/json',
    }),
  );
  let chunks = 0;
  for await (const event of out.body ?? []) if (event.chunk?.bytes) chunks++;
  await settle();
  return chunks;
}

function onlySpan() {
  const spans = h.tracing.spans();
  expect(spans).toHaveLength(1);
  return spans[0];
}

describe('Bedrock InvokeModel, recorded responses replayed to @aws-sdk/client-bedrock-runtime', () => {
  it('Amazon Titan: tokens from the body, cost = tokens x catalog price', async () => {
    replay('Amazon-Titan--should-set-request-and-response-attributes-in-span-for-given-prompt');
    const body = {
      inputText: PROMPT,
      textGenerationConfig: { maxTokenCount: 4096, stopSequences: [], temperature: 0, topP: 1 },
    };
    const out = await invoke('amazon.titan-text-express-v1', body);
    expect(out.inputTextTokenCount).toBe(8);
    const span = onlySpan();
    expect(span.name).toBe('text_completion amazon.titan-text-express-v1');
    const a = span.attributes;
    expect(a['gen_ai.provider.name']).toBe('aws.bedrock');
    expect(a['gen_ai.request.model']).toBe('amazon.titan-text-express-v1');
    expect(a['gen_ai.request.max_tokens']).toBe(4096);
    expect(a['gen_ai.usage.input_tokens']).toBe(8);
    expect(a['gen_ai.usage.output_tokens']).toBe(15);
    expect(a['burnrate.cost.source']).toBe('usage');
    // Titan Text Express on Bedrock: $0.0002 / 1K input, $0.0006 / 1K output (AWS price list)
    expect(a['burnrate.cost.usd']).toBeCloseTo((8 * 0.2 + 15 * 0.6) / 1e6, 12);
    expect(JSON.stringify(a)).not.toContain('cardinal');
  });

  it('Anthropic Messages body with cache tokens: cache read and write added into the input and priced apart', async () => {
    replay(
      'Anthropic--should-set-cache-tokens-in-span-for-Anthropic-messages-API-with-cached-tokens',
    );
    await invoke('anthropic.claude-3-5-sonnet-20241022-v2-0', {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 300,
      messages: [{ role: 'user', content: PROMPT }],
    });
    const a = onlySpan().attributes;
    expect(a['gen_ai.operation.name']).toBe('chat');
    expect(a['gen_ai.usage.input_tokens']).toBe(10 + 5 + 8);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(5);
    expect(a['gen_ai.usage.cache_creation.input_tokens']).toBe(8);
    expect(a['gen_ai.usage.output_tokens']).toBe(15);
    // Claude 3.5 Sonnet v2 on Bedrock: $3 in, $0.30 cache read, $3.75 cache write, $15 out (per M)
    expect(a['burnrate.cost.cache_read_usd']).toBeCloseTo((5 * 0.3) / 1e6, 12);
    expect(a['burnrate.cost.cache_write_usd']).toBeCloseTo((8 * 3.75) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo((10 * 3 + 5 * 0.3 + 8 * 3.75 + 15 * 15) / 1e6, 12);
  });

  it('Meta Llama: tokens from prompt_token_count / generation_token_count', async () => {
    replay('Meta--should-set-request-and-response-attributes-in-span-for-given-prompt');
    await invoke('meta.llama2-13b-chat-v1', {
      prompt: PROMPT,
      max_gen_len: 128,
      temperature: 0.1,
      top_p: 0.9,
    });
    const a = onlySpan().attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(9);
    expect(a['gen_ai.usage.output_tokens']).toBe(26);
    expect(a['gen_ai.request.temperature']).toBe(0.1);
    // Llama 2 13B Chat has no price in the catalog (retired model): unpriced, never 0.
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
  });

  it.each([
    [
      'Cohere',
      'cohere.command-text-v14',
      { prompt: PROMPT, max_tokens: 400, temperature: 0.75, p: 0.01, k: 0 },
      7,
      149,
    ],
    [
      'Ai21',
      'ai21.j2-ultra-v1',
      { prompt: PROMPT, maxTokens: 200, temperature: 0.7, topP: 1 },
      6,
      17,
    ],
    [
      'Anthropic',
      'anthropic.claude-v2',
      { prompt: `\n\nHuman:${PROMPT}\n\nAssistant:`, max_tokens_to_sample: 300 },
      16,
      82,
    ],
  ] as const)(
    '%s (%s): a body without usage takes the token-count headers',
    async (family, modelId, body, input, output) => {
      replay(`${family}--should-set-request-and-response-attributes-in-span-for-given-prompt`);
      await invoke(modelId, body);
      const a = onlySpan().attributes;
      expect(a['gen_ai.operation.name']).toBe('text_completion');
      expect(a['gen_ai.usage.input_tokens']).toBe(input);
      expect(a['gen_ai.usage.output_tokens']).toBe(output);
      // These retired models have no price in the catalog: unpriced, never 0.
      expect(a['burnrate.cost.source']).toBe('unpriced');
    },
  );
});

describe('Bedrock InvokeModelWithResponseStream, recorded event streams', () => {
  it.each([
    ['Amazon-Titan', 'amazon.titan-text-express-v1', { inputText: PROMPT }, 1, 8, 17],
    [
      'Anthropic',
      'anthropic.claude-v2',
      { prompt: `\n\nHuman:${PROMPT}\n\nAssistant:`, max_tokens_to_sample: 300 },
      53,
      16,
      63,
    ],
    ['Cohere', 'cohere.command-text-v14', { prompt: PROMPT, max_tokens: 400 }, 1, 7, 149],
    ['Meta', 'meta.llama2-13b-chat-v1', { prompt: PROMPT, max_gen_len: 128 }, 26, 9, 26],
  ] as const)(
    '%s: tokens from amazon-bedrock-invocationMetrics, one span',
    async (family, modelId, body, chunks, input, output) => {
      replay(
        `${family}--should-set-request-and-response-attributes-in-span-for-given-prompt-with-streaming-result`,
      );
      expect(await invokeStream(modelId, body)).toBe(chunks);
      const span = onlySpan();
      expect(span.attributes['gen_ai.request.stream']).toBe(true);
      expect(span.attributes['gen_ai.usage.input_tokens']).toBe(input);
      expect(span.attributes['gen_ai.usage.output_tokens']).toBe(output);
      expect(span.status.code).not.toBe(2);
    },
  );

  it('prices the Titan stream: cost = metrics tokens x catalog price', async () => {
    replay(
      'Amazon-Titan--should-set-request-and-response-attributes-in-span-for-given-prompt-with-streaming-result',
    );
    await invokeStream('amazon.titan-text-express-v1', { inputText: PROMPT });
    expect(onlySpan().attributes['burnrate.cost.usd']).toBeCloseTo((8 * 0.2 + 17 * 0.6) / 1e6, 12);
  });
});
