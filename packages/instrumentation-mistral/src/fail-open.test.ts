import { setPricer } from '@burnrate/core';
import { throwingPricer } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { chatExchange, client, SDKS, streamExchange, useHarness } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'hi' }];

describe.each(SDKS)('@mistralai/mistralai v$major: fails open', (sdk) => {
  it('returns the same result when pricing throws, and still ends the span', async () => {
    h.replay.add(chatExchange('mistral-small-latest', { prompt_tokens: 3, completion_tokens: 2 }));
    const mistral = client(sdk, h.replay.url);
    const plain = await mistral.chat.complete({
      model: 'mistral-small-latest',
      messages: MESSAGES,
    });
    setPricer(throwingPricer);
    try {
      expect(
        await mistral.chat.complete({ model: 'mistral-small-latest', messages: MESSAGES }),
      ).toEqual(plain);
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(2);
  });

  it('streams every chunk when pricing throws at the end, and ends the span', async () => {
    h.replay.add(
      streamExchange('mistral-small-latest', ['a', 'b'], {
        prompt_tokens: 3,
        completion_tokens: 2,
      }),
    );
    setPricer(throwingPricer);
    try {
      const stream = await client(sdk, h.replay.url).chat.stream({
        model: 'mistral-small-latest',
        messages: MESSAGES,
      });
      let n = 0;
      for await (const _ of stream) n++;
      expect(n).toBe(3);
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(1);
  });

  it('does nothing after disable()', async () => {
    h.replay.add(chatExchange('mistral-small-latest', { prompt_tokens: 3, completion_tokens: 2 }));
    h.instrumentation.disable();
    try {
      await client(sdk, h.replay.url).chat.complete({
        model: 'mistral-small-latest',
        messages: MESSAGES,
      });
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});
