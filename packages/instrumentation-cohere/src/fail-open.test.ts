import { setPricer } from '@burnrate/core';
import { throwingPricer } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { v2ChatExchange, v2StreamExchange } from './fixtures.ts';
import { SDKS, useHarness, v2 } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'hi' }];

describe.each(SDKS)('cohere-ai v$major: fails open', (sdk) => {
  it('returns the same result when pricing throws, and still ends the span', async () => {
    h.replay.add(v2ChatExchange());
    const cohere = v2(sdk, h.replay.url);
    const plain = await cohere.chat({ model: 'command-r', messages: MESSAGES });
    setPricer(throwingPricer);
    try {
      expect(await cohere.chat({ model: 'command-r', messages: MESSAGES })).toEqual(plain);
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(2);
  });

  it('streams every event when pricing throws at the end, and ends the span', async () => {
    h.replay.add(v2StreamExchange());
    const cohere = v2(sdk, h.replay.url);
    setPricer(throwingPricer);
    try {
      const stream = await cohere.chatStream({ model: 'command-r', messages: MESSAGES });
      let n = 0;
      for await (const _ of stream) n++;
      expect(n).toBe(6);
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(1);
  });

  it('keeps withRawResponse() working', async () => {
    h.replay.add(v2ChatExchange());
    const { data, rawResponse } = await v2(sdk, h.replay.url)
      .chat({ model: 'command-r', messages: MESSAGES })
      .withRawResponse();
    expect(data.id).toBe('c14c80c3-18eb-4519-9460-6c92edd8cfb4');
    expect(rawResponse.status).toBe(200);
    expect(h.tracing.spans()[0].attributes['gen_ai.usage.input_tokens']).toBe(12);
  });

  it('does nothing after disable()', async () => {
    h.replay.add(v2ChatExchange());
    h.instrumentation.disable();
    try {
      await v2(sdk, h.replay.url).chat({ model: 'command-r', messages: MESSAGES });
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});
