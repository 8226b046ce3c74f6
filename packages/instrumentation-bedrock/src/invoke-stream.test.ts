import { countTextTokens } from '@burnrate/core';
import { loadHar } from '@burnrate/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { converseReply, invokeRawStreamReply } from './fixtures.ts';
import { MAX_DEFERRED_CHARS } from './invoke-stream.ts';
import { Bedrock, client, settle, useHarness } from './test-setup.ts';

const h = useHarness();
const LLAMA = 'us.meta.llama3-1-70b-instruct-v1:0';
const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const PROMPT = 'Name the cardinal directions';

/** Sends an InvokeModelWithResponseStream and reads it to the end; returns the chunks seen. */
async function stream(modelId: string, body: object): Promise<string[]> {
  const out = await client(h.replay.url).send(
    new Bedrock.InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify(body) }),
  );
  const seen: string[] = [];
  for await (const e of out.body ?? []) seen.push(new TextDecoder().decode(e.chunk?.bytes));
  await settle();
  return seen;
}

function onlySpan() {
  const spans = h.tracing.spans();
  expect(spans).toHaveLength(1);
  return spans[0].attributes;
}

const llamaChunk = (text: string) =>
  `{"generation":${JSON.stringify(text)},"prompt_token_count":null,"stop_reason":null}`;
// "national" with its `a` escaped: a chunk parsed on arrival, between two kept unparsed.
const ESCAPED_NATIONAL = '"nation\\u0061l"';

// Text whose token count depends on the order of its parts: a chunk read out of order would
// change the estimate.
const IN_ORDER = 'internationalization';
function expectOrderMatters(model: string): void {
  expect(countTextTokens('nationalinterization', model)).not.toBe(countTextTokens(IN_ORDER, model));
}

describe('Bedrock InvokeModelWithResponseStream: chunks kept unparsed until needed', () => {
  it('a stream without invocation metrics: the estimate counts every chunk text, in order', async () => {
    expectOrderMatters(LLAMA);
    const chunks = [
      llamaChunk('inter'),
      `{"generation":${ESCAPED_NATIONAL},"prompt_token_count":null,"stop_reason":null}`,
      llamaChunk('ization'),
    ];
    h.replay.add([invokeRawStreamReply(LLAMA, chunks)]);
    expect(await stream(LLAMA, { prompt: PROMPT })).toEqual(chunks);
    const a = onlySpan();
    expect(a['burnrate.cost.source']).toBe('estimated');
    expect(a['gen_ai.usage.input_tokens']).toBe(countTextTokens(PROMPT, LLAMA));
    expect(a['gen_ai.usage.output_tokens']).toBe(countTextTokens(IN_ORDER, LLAMA));
    expect(a['gen_ai.response.finish_reasons']).toBeUndefined();
  });

  it('reads a finish reason whose key is spelled with \\u escapes, in a chunk without metrics', async () => {
    h.replay.add([
      invokeRawStreamReply(LLAMA, [
        llamaChunk('North.'),
        '{"generation":"","stop\\u005freason":"length"}',
        '{"generation":"","stop_reason":null,"amazon-bedrock-invocationMetrics":{"inputTokenCount":6,"outputTokenCount":2}}',
      ]),
    ]);
    await stream(LLAMA, { prompt: PROMPT });
    const a = onlySpan();
    expect(a['gen_ai.response.finish_reasons']).toEqual(['length']);
    expect(a['gen_ai.usage.input_tokens']).toBe(6);
    expect(a['burnrate.cost.source']).toBe('usage');
  });

  it('skips chunks that are not JSON objects, as parsing each on arrival did', async () => {
    h.replay.add([
      invokeRawStreamReply(LLAMA, [
        'not json',
        llamaChunk('North,'),
        '[1,2]',
        '"east"',
        llamaChunk(' south'),
      ]),
    ]);
    await stream(LLAMA, { prompt: PROMPT });
    expect(onlySpan()['gen_ai.usage.output_tokens']).toBe(countTextTokens('North, south', LLAMA));
  });

  it('Claude cut short: the deltas kept unparsed are read at the end, in order with a parsed one', async () => {
    expectOrderMatters(CLAUDE);
    const delta = (text: string) =>
      `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${text}}}`;
    h.replay.add([
      invokeRawStreamReply(CLAUDE, [
        '{"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":10,"output_tokens":1}}}',
        '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        delta('"inter"'),
        delta(ESCAPED_NATIONAL),
        delta('"ization"'),
      ]),
    ]);
    await stream(CLAUDE, { anthropic_version: 'bedrock-2023-05-31', max_tokens: 64, messages: [] });
    const a = onlySpan();
    expect(a['gen_ai.response.id']).toBe('msg_1');
    expect(a['burnrate.cost.source']).toBe('estimated');
    expect(a['gen_ai.usage.input_tokens']).toBe(10);
    expect(a['gen_ai.usage.output_tokens']).toBe(countTextTokens(IN_ORDER, CLAUDE));
  });

  it(`a stream past ${MAX_DEFERRED_CHARS} characters kept, without metrics: all of its text counted`, async () => {
    const texts = Array.from({ length: 1200 }, (_, i) => ` w${i}`);
    const chunks = texts.map(llamaChunk);
    expect(chunks.join('').length).toBeGreaterThan(MAX_DEFERRED_CHARS);
    h.replay.add([invokeRawStreamReply(LLAMA, chunks)]);
    expect(await stream(LLAMA, { prompt: PROMPT })).toHaveLength(1200);
    expect(onlySpan()['gen_ai.usage.output_tokens']).toBe(countTextTokens(texts.join(''), LLAMA));
  });

  it('with invocation metrics, chunks that carry only text are never parsed', async () => {
    h.replay.add(
      loadHar(
        'bedrock/Meta--should-set-request-and-response-attributes-in-span-for-given-prompt-with-streaming-result.har',
      ),
    );
    const out = await client(h.replay.url).send(
      new Bedrock.InvokeModelWithResponseStreamCommand({
        modelId: 'meta.llama2-13b-chat-v1',
        body: JSON.stringify({ prompt: 'What are the 4 cardinal directions?' }),
      }),
    );
    const parse = vi.spyOn(JSON, 'parse');
    let chunks = 0;
    let parsed: string[];
    try {
      for await (const e of out.body ?? []) if (e.chunk?.bytes) chunks++;
      parsed = parse.mock.calls.map(([text]) => String(text));
    } finally {
      parse.mockRestore();
    }
    await settle();
    const modelChunks = parsed.filter((text) => text.includes('"generation"'));
    expect(chunks).toBe(26);
    // Only the last chunk (finish reason and metrics) is parsed.
    expect(modelChunks).toHaveLength(1);
    const a = onlySpan();
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['gen_ai.usage.output_tokens']).toBe(26);
  });
});

describe('Bedrock commands by class', () => {
  it('a subclass of a command class is traced as its operation, every time', async () => {
    class MyConverse extends Bedrock.ConverseCommand {}
    const modelId = 'us.amazon.nova-pro-v1:0';
    h.replay.add([
      converseReply(modelId, { inputTokens: 30, outputTokens: 5 }),
      converseReply(modelId, { inputTokens: 31, outputTokens: 6 }),
    ]);
    const messages = [{ role: 'user' as const, content: [{ text: 'Directions?' }] }];
    for (let i = 0; i < 2; i++)
      await client(h.replay.url).send(new MyConverse({ modelId, messages }));
    const spans = h.tracing.spans();
    expect(spans.map((s) => s.name)).toEqual([`chat ${modelId}`, `chat ${modelId}`]);
    expect(spans.map((s) => s.attributes['gen_ai.usage.input_tokens'])).toEqual([30, 31]);
  });
});
