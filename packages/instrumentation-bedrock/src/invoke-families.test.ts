import { setPricer } from '@burnrate/core';
import { getDefaultPricer, type Pricer } from '@burnrate/pricing';
import { expectAbortUnchanged, readAborting } from '@burnrate/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeStreamEvents, invokeReply, invokeStreamReply } from './fixtures.ts';
import { Bedrock, client, settle, useHarness } from './test-setup.ts';

const h = useHarness();

async function invoke(modelId: string, body: object) {
  const out = await client(h.replay.url).send(
    new Bedrock.InvokeModelCommand({ modelId, body: JSON.stringify(body) }),
  );
  return JSON.parse(new TextDecoder().decode(out.body)) as Record<string, unknown>;
}

function onlySpan() {
  const spans = h.tracing.spans();
  expect(spans).toHaveLength(1);
  return spans[0];
}

// Bodies written from each family's documented InvokeModel format ("Inference request parameters and
// response fields for foundation models", Bedrock user guide); no recording covers these models.
describe('Bedrock InvokeModel: model families without a recording', () => {
  it('Mistral 7B (no usage in the body): billed counts from the headers, priced', async () => {
    const modelId = 'mistral.mistral-7b-instruct-v0:2';
    h.replay.add([
      invokeReply(
        modelId,
        { outputs: [{ text: 'North, east, south, west.', stop_reason: 'stop' }] },
        { input: 21, output: 9 },
      ),
    ]);
    const out = await invoke(modelId, {
      prompt: '<s>[INST] Name the cardinal directions [/INST]',
      max_tokens: 64,
    });
    expect(out.outputs).toHaveLength(1);
    const a = onlySpan().attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(21);
    expect(a['gen_ai.usage.output_tokens']).toBe(9);
    // Mistral 7B Instruct on Bedrock: $0.15 / M input, $0.20 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((21 * 0.15 + 9 * 0.2) / 1e6, 12);
  });

  it('Llama 3.1 through a us. inference profile: body counts, priced as the base model', async () => {
    const modelId = 'us.meta.llama3-1-70b-instruct-v1:0';
    h.replay.add([
      invokeReply(modelId, {
        generation: 'North, east, south, west.',
        prompt_token_count: 18,
        generation_token_count: 8,
        stop_reason: 'stop',
      }),
    ]);
    await invoke(modelId, { prompt: 'Name the cardinal directions', max_gen_len: 64 });
    const a = onlySpan().attributes;
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['gen_ai.usage.input_tokens']).toBe(18);
    // Llama 3.1 70B Instruct: $0.72 / M input and output
    expect(a['burnrate.cost.usd']).toBeCloseTo((18 * 0.72 + 8 * 0.72) / 1e6, 12);
  });

  it('Amazon Nova (messages-v1 body): usage with cache reads, priced', async () => {
    const modelId = 'us.amazon.nova-lite-v1:0';
    h.replay.add([
      invokeReply(modelId, {
        output: {
          message: { role: 'assistant', content: [{ text: 'North, east, south, west.' }] },
        },
        stopReason: 'end_turn',
        usage: {
          inputTokens: 40,
          outputTokens: 10,
          totalTokens: 1050,
          cacheReadInputTokenCount: 1000,
          cacheWriteInputTokenCount: 0,
        },
      }),
    ]);
    await invoke(modelId, {
      schemaVersion: 'messages-v1',
      messages: [{ role: 'user', content: [{ text: 'Directions?' }] }],
      inferenceConfig: { maxTokens: 64 },
    });
    const a = onlySpan().attributes;
    expect(a['gen_ai.request.max_tokens']).toBe(64);
    expect(a['gen_ai.usage.input_tokens']).toBe(1040);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(1000);
    // Nova Lite: $0.06 in, $0.015 cache read, $0.24 out (per million)
    expect(a['burnrate.cost.usd']).toBeCloseTo((40 * 0.06 + 1000 * 0.015 + 10 * 0.24) / 1e6, 12);
  });

  it('AI21 Jamba (OpenAI-style usage) and Cohere Command R (headers): exact tokens, unpriced where the catalog has no price', async () => {
    h.replay.add([
      invokeReply('ai21.jamba-1-5-large-v1:0', {
        id: 'chatcmpl-1',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'North.' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 17, completion_tokens: 3, total_tokens: 20 },
      }),
      invokeReply(
        'cohere.command-r-plus-v1:0',
        { response_id: 'r1', text: 'North.', finish_reason: 'COMPLETE' },
        { input: 12, output: 2 },
      ),
    ]);
    await invoke('ai21.jamba-1-5-large-v1:0', {
      messages: [{ role: 'user', content: 'Direction?' }],
      max_tokens: 16,
    });
    await invoke('cohere.command-r-plus-v1:0', { message: 'Direction?', max_tokens: 16 });
    const [jamba, cohere] = h.tracing.spans().map((s) => s.attributes);
    expect([jamba['gen_ai.usage.input_tokens'], jamba['gen_ai.usage.output_tokens']]).toEqual([
      17, 3,
    ]);
    expect([cohere['gen_ai.usage.input_tokens'], cohere['gen_ai.usage.output_tokens']]).toEqual([
      12, 2,
    ]);
    for (const a of [jamba, cohere]) {
      expect(a['burnrate.cost.source']).toBe('unpriced');
      expect(a['burnrate.cost.usd']).toBeUndefined();
    }
  });

  it('Titan embeddings: an embeddings span with the input token count', async () => {
    const modelId = 'amazon.titan-embed-text-v2:0';
    h.replay.add([
      invokeReply(modelId, {
        embedding: [0.1, 0.2, 0.3],
        embeddingsByType: { float: [0.1, 0.2, 0.3] },
        inputTextTokenCount: 7,
      }),
    ]);
    await invoke(modelId, { inputText: 'cardinal directions', dimensions: 256 });
    const span = onlySpan();
    expect(span.name).toBe(`embeddings ${modelId}`);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(7);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(0);
  });
});

describe('Bedrock InvokeModelWithResponseStream: Claude Messages events', () => {
  it('reads usage from the events (cache reads included), one span, priced by the profile id', async () => {
    const modelId = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
    h.replay.add([invokeStreamReply(modelId, claudeStreamEvents('claude-haiku-4-5-20251001'))]);
    const out = await client(h.replay.url).send(
      new Bedrock.InvokeModelWithResponseStreamCommand({
        modelId,
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'Directions?' }],
        }),
      }),
    );
    let events = 0;
    for await (const e of out.body ?? []) if (e.chunk) events++;
    expect(events).toBe(7);
    await settle();
    const a = onlySpan().attributes;
    expect(a['gen_ai.response.id']).toBe('msg_bdrk_01');
    expect(a['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    expect(a['gen_ai.usage.input_tokens']).toBe(120 + 2048);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(2048);
    expect(a['gen_ai.usage.output_tokens']).toBe(12);
    // Claude Haiku 4.5, global profile: $1 in, $0.10 cache read, $5 out (per million)
    expect(a['burnrate.cost.usd']).toBeCloseTo((120 * 1 + 2048 * 0.1 + 12 * 5) / 1e6, 12);
  });

  it('ends the one span when the caller aborts, and the caller sees what it sees without Burnrate', async () => {
    const modelId = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
    const outcome = async () => {
      h.replay.add([
        invokeStreamReply(
          modelId,
          claudeStreamEvents('claude-3-5-sonnet-20240620').slice(0, 3),
          true,
        ),
      ]);
      const controller = new AbortController();
      const out = await client(h.replay.url).send(
        new Bedrock.InvokeModelWithResponseStreamCommand({
          modelId,
          body: JSON.stringify({
            anthropic_version: 'bedrock-2023-05-31',
            max_tokens: 64,
            messages: [],
          }),
        }),
        { abortSignal: controller.signal },
      );
      return readAborting(out.body ?? [], () => controller.abort());
    };
    await expectAbortUnchanged(outcome, h, settle, {
      check: (span) => {
        // message_start arrived: Claude's input usage is exact, the output a local count.
        expect(span.attributes['gen_ai.usage.input_tokens']).toBe(120 + 2048);
        expect(span.attributes['burnrate.cost.source']).toBe('estimated');
      },
    });
  });
});

describe('Bedrock: fails open and stays out of the way', () => {
  afterEach(() => setPricer(undefined));

  it('a throwing pricer changes nothing the caller sees; the span still ends', async () => {
    const modelId = 'us.meta.llama3-1-70b-instruct-v1:0';
    const reply = invokeReply(modelId, {
      generation: 'North.',
      prompt_token_count: 5,
      generation_token_count: 2,
      stop_reason: 'stop',
    });
    h.replay.add([reply, reply]);
    const clean = await invoke(modelId, { prompt: 'x' });
    h.tracing.reset();
    setPricer({
      ...getDefaultPricer(),
      priceModelCall() {
        throw new Error('pricer exploded');
      },
    } satisfies Pricer);
    expect(await invoke(modelId, { prompt: 'x' })).toEqual(clean);
    const span = onlySpan();
    expect(span.status.code).not.toBe(2);
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('the aggregated BedrockRuntime client is traced too; other commands and callbacks are untouched', async () => {
    const modelId = 'us.meta.llama3-1-70b-instruct-v1:0';
    h.replay.add([
      invokeReply(modelId, {
        generation: 'North.',
        prompt_token_count: 5,
        generation_token_count: 2,
        stop_reason: 'stop',
      }),
    ]);
    const runtime = new Bedrock.BedrockRuntime({
      region: 'us-east-1',
      endpoint: h.replay.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
    await runtime.invokeModel({ modelId, body: JSON.stringify({ prompt: 'x' }) });
    expect(onlySpan().attributes['gen_ai.usage.input_tokens']).toBe(5);
    h.tracing.reset();
    const data = await new Promise((resolve, reject) =>
      runtime.invokeModel(
        { modelId, body: JSON.stringify({ prompt: 'x' }) },
        (err: unknown, out: unknown) => (err ? reject(err) : resolve(out)),
      ),
    );
    expect(data).toBeTruthy();
    expect(h.tracing.spans()).toHaveLength(0);
  });
});

describe('Bedrock: large bodies', () => {
  it('does not parse a request body over 1 MB, and still takes the billed counts from the headers', async () => {
    const modelId = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
    h.replay.add([
      invokeReply(
        modelId,
        {
          id: 'msg_big',
          type: 'message',
          content: [{ type: 'text', text: 'A cat.' }],
          usage: { input_tokens: 1600, output_tokens: 4 },
        },
        { input: 1600, output: 4 },
      ),
    ]);
    const image = 'A'.repeat(2 << 20);
    await invoke(modelId, {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 64,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image } },
          ],
        },
      ],
    });
    const a = onlySpan().attributes;
    expect(a['gen_ai.request.max_tokens']).toBeUndefined();
    expect(a['gen_ai.usage.input_tokens']).toBe(1600);
    expect(a['burnrate.cost.usd']).toBeCloseTo((1600 * 3 + 4 * 15) / 1e6, 12);
  });
});
