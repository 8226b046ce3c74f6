import { expectAbortUnchanged, readAborting } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, SDKS, streamExchange, useHarness } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'What is a span?' }];
const PIECES = ['A span ', 'is one ', 'timed operation.'];
const settle = () => new Promise((r) => setTimeout(r, 20));

describe.each(SDKS)('@mistralai/mistralai v$major: chat.stream', (sdk) => {
  it('records the last chunk usage once, after the caller saw every chunk', async () => {
    h.replay.add(
      streamExchange('mistral-small-latest', PIECES, { prompt_tokens: 10, completion_tokens: 7 }),
    );
    const stream = await client(sdk, h.replay.url).chat.stream({
      model: 'mistral-small-latest',
      messages: MESSAGES,
    });
    let text = '';
    for await (const event of stream) text += String(event.data.choices[0]?.delta?.content ?? '');
    expect(text).toBe(PIECES.join(''));
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.usage.input_tokens']).toBe(10);
    expect(a['gen_ai.usage.output_tokens']).toBe(7);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['burnrate.cost.source']).toBe('usage');
    expect(a['burnrate.cost.usd']).toBeCloseTo((10 * 0.1 + 7 * 0.3) / 1e6, 12);
  });

  it('ends the span once on early break, with a local estimate', async () => {
    h.replay.add(
      streamExchange('mistral-small-latest', PIECES, { prompt_tokens: 10, completion_tokens: 7 }),
    );
    const stream = await client(sdk, h.replay.url).chat.stream({
      model: 'mistral-small-latest',
      messages: MESSAGES,
    });
    for await (const _ of stream) break;
    await settle();
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).not.toBe(2);
    expect(spans[0].attributes['burnrate.cost.source']).toBe('estimated');
  });

  it('ends the span once on abort, and the caller sees the same outcome as without Burnrate', async () => {
    const outcome = async () => {
      h.replay.add(
        streamExchange('mistral-small-latest', PIECES, { prompt_tokens: 10, completion_tokens: 7 }),
      );
      const controller = new AbortController();
      const stream = await client(sdk, h.replay.url).chat.stream(
        { model: 'mistral-small-latest', messages: MESSAGES },
        { fetchOptions: { signal: controller.signal } },
      );
      return readAborting(stream, () => controller.abort());
    };
    await expectAbortUnchanged(outcome, h, settle);
  });
});
