import { describe, expect, it } from 'vitest';
import { converseReply, converseStreamEvents, converseStreamReply } from './fixtures.ts';
import { Bedrock, client, settle, useHarness } from './test-setup.ts';

const h = useHarness();
const MESSAGES = [
  { role: 'user' as const, content: [{ text: 'What are the 4 cardinal directions?' }] },
];

async function converse(modelId: string) {
  return client(h.replay.url).send(
    new Bedrock.ConverseCommand({
      modelId,
      messages: MESSAGES,
      inferenceConfig: { maxTokens: 256, temperature: 0.2 },
    }),
  );
}

function onlySpan() {
  const spans = h.tracing.spans();
  expect(spans).toHaveLength(1);
  return spans[0];
}

// Fixtures follow the Converse API reference (TokenUsage: inputTokens leaves out cache reads and
// writes; cacheDetails splits writes by TTL). No recording of Converse exists.
describe('Bedrock Converse', () => {
  it('adds cache reads and writes into the input, prices 5-minute and 1-hour writes apart (global. profile)', async () => {
    const modelId = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    h.replay.add([
      converseReply(modelId, {
        inputTokens: 100,
        outputTokens: 50,
        totalTokens: 2650,
        cacheReadInputTokens: 2000,
        cacheWriteInputTokens: 500,
        cacheDetails: [
          { ttl: '1h', inputTokens: 300 },
          { ttl: '5m', inputTokens: 200 },
        ],
      }),
    ]);
    const out = await converse(modelId);
    expect(out.usage?.inputTokens).toBe(100);
    const span = onlySpan();
    expect(span.name).toBe(`chat ${modelId}`);
    const a = span.attributes;
    expect(a['gen_ai.provider.name']).toBe('aws.bedrock');
    expect(a['gen_ai.request.model']).toBe(modelId);
    expect(a['gen_ai.request.max_tokens']).toBe(256);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    expect(a['gen_ai.usage.input_tokens']).toBe(2600);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(2000);
    expect(a['gen_ai.usage.cache_creation.input_tokens']).toBe(500);
    expect(a['gen_ai.usage.output_tokens']).toBe(50);
    // Claude Sonnet 4.5, global cross-region profile (AWS price list): $3 in, $0.30 cache read,
    // $3.75 5-minute write, $6 1-hour write, $15 out (per million tokens).
    expect(a['burnrate.cost.cache_write_usd']).toBeCloseTo((200 * 3.75 + 300 * 6) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo(
      (100 * 3 + 2000 * 0.3 + 200 * 3.75 + 300 * 6 + 50 * 15) / 1e6,
      12,
    );
    expect(String(a['burnrate.pricing.model'])).toContain('global.');
    expect(JSON.stringify(a)).not.toContain('cardinal');
  });

  it.each([
    // Regional (us./eu.) profiles of Claude Sonnet 4.5 cost 10% more than the global one.
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 3.3, 16.5],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 3, 15],
    ['eu.anthropic.claude-3-5-sonnet-20240620-v1:0', 3, 15],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 3, 15],
    ['us.amazon.nova-pro-v1:0', 0.8, 3.2],
    ['us.meta.llama3-1-70b-instruct-v1:0', 0.72, 0.72],
    ['mistral.mistral-large-2402-v1:0', 4, 12],
  ])('prices %s at $%s / $%s per million', async (modelId, input, output) => {
    h.replay.add([
      converseReply(modelId, { inputTokens: 1000, outputTokens: 200, totalTokens: 1200 }),
    ]);
    await converse(modelId);
    const a = onlySpan().attributes;
    expect(a['burnrate.cost.source']).toBe('usage');
    expect(a['burnrate.cost.usd']).toBeCloseTo((1000 * input + 200 * output) / 1e6, 12);
  });

  it('rethrows the service error unchanged and marks the span', async () => {
    const modelId = 'us.amazon.nova-pro-v1:0';
    h.replay.add([
      {
        ...converseReply(modelId, {}),
        status: 429,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype':
            'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        },
        body: Buffer.from(
          JSON.stringify({ message: 'Too many requests, please wait before trying again.' }),
        ),
      },
    ]);
    const error = await converse(modelId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Bedrock.ThrottlingException);
    const span = onlySpan();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('ThrottlingException');
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });
});

describe('Bedrock ConverseStream', () => {
  const modelId = 'us.amazon.nova-pro-v1:0';
  const usage = {
    inputTokens: 300,
    outputTokens: 24,
    totalTokens: 1324,
    cacheReadInputTokens: 1000,
  };

  it('takes usage from the metadata event: one span, cost = tokens x catalog price', async () => {
    h.replay.add([
      converseStreamReply(
        modelId,
        converseStreamEvents(['North, east,', ' south and west.'], usage),
      ),
    ]);
    const out = await client(h.replay.url).send(
      new Bedrock.ConverseStreamCommand({ modelId, messages: MESSAGES }),
    );
    let text = '';
    for await (const event of out.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? '';
    expect(text).toBe('North, east, south and west.');
    await settle();
    const a = onlySpan().attributes;
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.usage.input_tokens']).toBe(1300);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(1000);
    expect(a['gen_ai.usage.output_tokens']).toBe(24);
    // Amazon Nova Pro: $0.80 in, $0.20 cache read, $3.20 out (per million tokens)
    expect(a['burnrate.cost.usd']).toBeCloseTo((300 * 0.8 + 1000 * 0.2 + 24 * 3.2) / 1e6, 12);
  });

  it('ends the one span on early break, with a local estimate (no metadata yet)', async () => {
    h.replay.add([
      converseStreamReply(
        modelId,
        converseStreamEvents(['North, east,', ' south and west.'], usage),
      ),
    ]);
    const out = await client(h.replay.url).send(
      new Bedrock.ConverseStreamCommand({ modelId, messages: MESSAGES }),
    );
    for await (const event of out.stream ?? []) if (event.contentBlockDelta) break;
    await settle();
    const span = onlySpan();
    expect(span.status.code).not.toBe(2);
    expect(span.attributes['burnrate.cost.source']).toBe('estimated');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });

  it('ends the one span with the error when the service fails mid-stream, and the caller gets that error', async () => {
    const events = converseStreamEvents(['North,'], usage).slice(0, 2);
    const reply = converseStreamReply(modelId, events);
    const { exceptionMessage, encodeEventStream } = await import('@burnrate/test-utils');
    const failure = encodeEventStream([exceptionMessage('throttlingException', 'Too many tokens')]);
    h.replay.add([
      {
        ...reply,
        body: Buffer.concat([reply.body, failure]),
        parts: [...(reply.parts ?? []), failure],
      },
    ]);
    const out = await client(h.replay.url).send(
      new Bedrock.ConverseStreamCommand({ modelId, messages: MESSAGES }),
    );
    const error = await (async () => {
      for await (const _ of out.stream ?? []) {
        /* drain */
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Bedrock.ThrottlingException);
    await settle();
    const span = onlySpan();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('ThrottlingException');
  });

  it('ends the one span when the caller aborts a live stream', async () => {
    h.replay.add([
      converseStreamReply(modelId, converseStreamEvents(['North,'], usage).slice(0, 2), true),
    ]);
    const controller = new AbortController();
    const out = await client(h.replay.url).send(
      new Bedrock.ConverseStreamCommand({ modelId, messages: MESSAGES }),
      {
        abortSignal: controller.signal,
      },
    );
    const seen = await (async () => {
      let n = 0;
      try {
        for await (const _ of out.stream ?? []) {
          if (++n === 2) controller.abort();
        }
      } catch {
        /* the SDK may surface the abort */
      }
      return n;
    })();
    expect(seen).toBe(2);
    await settle();
    expect(h.tracing.spans()).toHaveLength(1);
  });
});
