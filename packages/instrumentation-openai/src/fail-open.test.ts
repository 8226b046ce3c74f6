import { setPricer } from '@burnrate/core';
import { exchange, loadHar, throwingPricer } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, endedSpans, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

describe.each(SDKS)('openai v$major: fails open', (sdk) => {
  it('returns the same result when pricing throws', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    const openai = client(sdk, h.replay.url);
    const body = { model: 'gpt-3.5-turbo', messages: [{ role: 'user' as const, content: 'x' }] };
    const plain = await openai.chat.completions.create(body);
    setPricer(throwingPricer);
    try {
      const traced = await openai.chat.completions.create(body);
      expect(traced).toEqual(plain);
    } finally {
      setPricer(undefined);
    }
    // The span still ends, with its tokens, marked unpriced.
    expect(h.tracing.spans()).toHaveLength(2);
    expect(h.tracing.spans()[1].attributes['burnrate.cost.source']).toBe('unpriced');
    expect(h.tracing.spans()[1].attributes['gen_ai.usage.input_tokens']).toBe(15);
  });

  it('streams the same chunks when pricing throws at the end', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-chat.har'));
    const openai = client(sdk, h.replay.url);
    setPricer(throwingPricer);
    try {
      const stream = await openai.chat.completions.create({
        model: 'gpt-3.5-turbo',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      let n = 0;
      for await (const _ of stream) n++;
      expect(n).toBeGreaterThan(5);
      // No usage in this recording: the span ends once its tokens are counted (off the event loop).
      await endedSpans(h);
    } finally {
      setPricer(undefined);
    }
    // The span still ends, with its tokens, marked unpriced.
    const [span] = h.tracing.spans();
    expect(span.attributes['burnrate.cost.source']).toBe('unpriced');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });

  it('passes a malformed response error through unchanged', async () => {
    h.replay.add([
      exchange('POST', 'https://api.openai.com/v1/chat/completions', '{"id": "x", "choi', {}),
    ]);
    const openai = client(sdk, h.replay.url);
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 10));
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
  });

  it('does nothing after disable()', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    const openai = client(sdk, h.replay.url);
    h.instrumentation.disable();
    try {
      await openai.chat.completions.create({
        model: 'gpt-3.5-turbo',
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});
