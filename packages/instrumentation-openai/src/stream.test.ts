import { countChatTokens, countTextTokens } from '@burnrate/core';
import {
  exchange,
  expectAbortUnchanged,
  loadHar,
  readAborting,
  sseBody,
} from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, endedSpans, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }];

/**
 * A chat stream as OpenAI sends it (format of its API reference): content chunks, and with
 * `stream_options.include_usage` a final usage-only chunk with empty `choices`.
 */
function chatStream(includeUsage: boolean): string {
  const base = {
    id: 'chatcmpl-s',
    object: 'chat.completion.chunk',
    created: 1755182716,
    model: 'gpt-4o-mini-2024-07-18',
  };
  return sseBody([
    {
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      usage: null,
    },
    {
      ...base,
      choices: [{ index: 0, delta: { content: 'Why did the span' }, finish_reason: null }],
      usage: null,
    },
    {
      ...base,
      choices: [{ index: 0, delta: { content: ' cross the road?' }, finish_reason: null }],
      usage: null,
    },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
    ...(includeUsage
      ? [
          {
            ...base,
            choices: [],
            usage: {
              prompt_tokens: 14,
              completion_tokens: 9,
              total_tokens: 23,
              prompt_tokens_details: { cached_tokens: 0 },
            },
          },
        ]
      : []),
  ]);
}

function addUsageStream(): void {
  h.replay.respond('POST', '/v1/chat/completions', (req) => {
    const asked =
      (req.json as { stream_options?: { include_usage?: boolean } }).stream_options
        ?.include_usage === true;
    return exchange('POST', 'https://api.openai.com/v1/chat/completions', chatStream(asked), {
      contentType: 'text/event-stream',
    });
  });
}

/** The recorded streamed chat completion, as an app asks for it. */
function openStream(sdk: (typeof SDKS)[number]) {
  return client(sdk, h.replay.url).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: MESSAGES,
    stream: true,
  });
}

describe.each(SDKS)('openai v$major: chat streams', (sdk) => {
  it('asks for usage, hides the usage-only chunk, and records the exact tokens', async () => {
    addUsageStream();
    const stream = await openStream(sdk);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    // The caller sees the stream it asked for: no chunk without choices, no usage chunk.
    expect(chunks).toHaveLength(4);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    const sent = h.replay.requests[0].json as { stream_options?: { include_usage?: boolean } };
    expect(sent.stream_options?.include_usage).toBe(true);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(14);
    expect(a['gen_ai.usage.output_tokens']).toBe(9);
    expect(a['burnrate.cost.source']).toBe('usage');
    // gpt-4o-mini: $0.15 / M input, $0.60 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((14 * 0.15 + 9 * 0.6) / 1e6, 12);
  });

  it('keeps the usage chunk when the caller asked for it', async () => {
    addUsageStream();
    const openai = client(sdk, h.replay.url);
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(5);
    expect(chunks[4].usage?.prompt_tokens).toBe(14);
    expect(h.tracing.spans()[0].attributes['gen_ai.usage.output_tokens']).toBe(9);
  });

  it('counts locally, marked estimated, when the server sends no usage (recorded stream)', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-chat.har'));
    const openai = client(sdk, h.replay.url);
    const stream = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: MESSAGES,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(10);
    const a = (await endedSpans(h))[0].attributes;
    expect(a['burnrate.cost.source']).toBe('estimated');
    expect(a['gen_ai.usage.input_tokens']).toBe(countChatTokens(MESSAGES, 'gpt-3.5-turbo'));
    expect(a['gen_ai.usage.output_tokens']).toBe(countTextTokens(text, 'gpt-3.5-turbo'));
    expect(a['burnrate.cost.usd']).toBeGreaterThan(0);
  });

  it('ends the span once on early break, with the tokens seen so far', async () => {
    addUsageStream();
    const stream = await openStream(sdk);
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) break;
    }
    const spans = await endedSpans(h);
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).not.toBe(2);
    expect(spans[0].attributes['burnrate.cost.source']).toBe('estimated');
  });

  it('supports tee(): both branches get every chunk, one span', async () => {
    addUsageStream();
    const stream = await openStream(sdk);
    const [left, right] = stream.tee();
    const read = async (s: AsyncIterable<unknown>) => {
      const out = [];
      for await (const c of s) out.push(c);
      return out;
    };
    const [a, b] = await Promise.all([read(left), read(right)]);
    expect(a).toHaveLength(4);
    expect(b).toEqual(a);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['gen_ai.usage.output_tokens']).toBe(9);
  });

  it('throws the SDK own error on a second iteration and does not record twice', async () => {
    addUsageStream();
    const stream = await openStream(sdk);
    for await (const _ of stream) {
      /* drain */
    }
    await expect(async () => {
      for await (const _ of stream) {
        /* again */
      }
    }).rejects.toThrow(/consumed/);
    expect(h.tracing.spans()).toHaveLength(1);
  });

  it('ends the span once on abort, and the caller sees what it sees without Burnrate', async () => {
    const outcome = async () => {
      addUsageStream();
      const openai = client(sdk, h.replay.url);
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
      });
      return readAborting(stream, () => stream.controller.abort());
    };
    await expectAbortUnchanged(outcome, h, () => endedSpans(h));
  });

  it('works through the toReadableStream() helper', async () => {
    addUsageStream();
    const stream = await openStream(sdk);
    const reader = stream.toReadableStream().getReader();
    let lines = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      lines++;
    }
    expect(lines).toBe(4);
    expect(h.tracing.spans()[0].attributes['gen_ai.usage.input_tokens']).toBe(14);
  });
});

describe('stream usage injection switched off', () => {
  it('sends the body unchanged', async () => {
    h.instrumentation.setConfig({ injectStreamUsage: false });
    try {
      addUsageStream();
      const openai = client(SDKS[0], h.replay.url);
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
      });
      for await (const _ of stream) {
        /* drain */
      }
      expect(
        (h.replay.requests[0].json as { stream_options?: unknown }).stream_options,
      ).toBeUndefined();
      const a = (await endedSpans(h))[0].attributes;
      expect(a['burnrate.cost.source']).toBe('estimated');
    } finally {
      h.instrumentation.setConfig({});
    }
  });
});
