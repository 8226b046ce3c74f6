import { countTextTokens } from '@burnrate/core';
import { exchange, expectAbortUnchanged, loadHar, readAborting } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, SDKS, settle, spanName, useHarness } from './test-setup.ts';

const h = useHarness();
const MODEL = 'claude-3-opus-20240229';
const REQUEST = {
  model: MODEL,
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }],
};
// Claude 3 Opus: $15 / M input, $75 / M output; the recording reports 17 in, 158 out.
const RECORDED_COST = (17 * 15 + 158 * 75) / 1e6;

function addRecordedStream(): void {
  h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages-streaming.har'));
}

/** A stream in the published event format whose usage has cache tokens and final totals in message_delta. */
function cachedStream(): string {
  const events: [string, object][] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_s',
          type: 'message',
          role: 'assistant',
          model: 'claude-haiku-4-5-20251001',
          content: [],
          stop_reason: null,
          usage: {
            input_tokens: 20,
            cache_creation_input_tokens: 400,
            cache_read_input_tokens: 5000,
            cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 400 },
            output_tokens: 1,
          },
        },
      },
    ],
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
    ],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 20,
          cache_creation_input_tokens: 400,
          cache_read_input_tokens: 5000,
          output_tokens: 42,
        },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ];
  return events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('');
}

describe.each(SDKS)('@anthropic-ai/sdk $label: streams', (sdk) => {
  it('create({ stream: true }) records the recorded usage on one span', async () => {
    addRecordedStream();
    const anthropic = client(sdk, h.replay.url);
    const stream = await anthropic.messages.create({ ...REQUEST, stream: true });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    }
    expect(text).toContain('OpenTelemetry');
    await settle();
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].name).toBe(spanName(sdk, MODEL));
    const a = spans[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(17);
    expect(a['gen_ai.usage.output_tokens']).toBe(158);
    expect(a['burnrate.cost.source']).toBe('usage');
    expect(a['burnrate.cost.usd']).toBeCloseTo(RECORDED_COST, 12);
  });

  it('the messages.stream() helper gives one span with the recorded usage', async () => {
    addRecordedStream();
    const anthropic = client(sdk, h.replay.url);
    const final = await anthropic.messages.stream(REQUEST).finalMessage();
    expect(final.usage.output_tokens).toBe(158);
    await settle();
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['gen_ai.usage.output_tokens']).toBe(158);
    expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo(RECORDED_COST, 12);
  });

  it('takes cache tokens (1-hour writes) and final totals from the stream events', async () => {
    h.replay.add([
      exchange('POST', 'https://api.anthropic.com/v1/messages', cachedStream(), {
        contentType: 'text/event-stream',
      }),
    ]);
    const anthropic = client(sdk, h.replay.url);
    const stream = await anthropic.messages.create({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const _ of stream) {
      /* drain */
    }
    await settle();
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(5420);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(5000);
    expect(a['gen_ai.usage.cache_creation.input_tokens']).toBe(400);
    expect(a['gen_ai.usage.output_tokens']).toBe(42);
    // Haiku 4.5: $1 in, $0.10 cache read, $2 1-hour write, $5 out (per million)
    expect(a['burnrate.cost.usd']).toBeCloseTo((20 * 1 + 5000 * 0.1 + 400 * 2 + 42 * 5) / 1e6, 12);
  });

  it('ends the one span on early break, with the input usage already reported', async () => {
    addRecordedStream();
    const anthropic = client(sdk, h.replay.url);
    const stream = await anthropic.messages.create({ ...REQUEST, stream: true });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text += event.delta.text;
        break;
      }
    }
    await settle();
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).not.toBe(2);
    const a = spans[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(17);
    if (sdk.tracesItself) {
      // The SDK records only what is final before message_delta: the input. It is still priced.
      expect(a['burnrate.cost.usd']).toBeCloseTo((17 * 15) / 1e6, 12);
    } else {
      expect(a['burnrate.cost.source']).toBe('estimated');
      expect(a['gen_ai.usage.output_tokens']).toBe(countTextTokens(text, MODEL));
    }
  });

  it('supports tee(): both branches get every event, one span', async () => {
    addRecordedStream();
    const anthropic = client(sdk, h.replay.url);
    const stream = await anthropic.messages.create({ ...REQUEST, stream: true });
    const [left, right] = stream.tee();
    const read = async (s: AsyncIterable<unknown>) => {
      const out = [];
      for await (const e of s) out.push(e);
      return out;
    };
    const [a, b] = await Promise.all([read(left), read(right)]);
    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    await settle();
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['gen_ai.usage.output_tokens']).toBe(158);
  });

  it('ends the span once on abort, and the caller sees what it sees without Burnrate', async () => {
    const outcome = async () => {
      addRecordedStream();
      const anthropic = client(sdk, h.replay.url);
      const stream = await anthropic.messages.create({ ...REQUEST, stream: true });
      return readAborting(stream, () => stream.controller.abort(), 3);
    };
    // 1.x and 0.134+ trace themselves: their own span is made with Burnrate off too.
    await expectAbortUnchanged(outcome, h, settle, { sdkSpan: sdk.tracesItself });
  });
});
