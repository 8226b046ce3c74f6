import { setPricer } from '@burnrate/core';
import { throwingPricer } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { generateExchange, streamExchange } from './fixtures.ts';
import { gemini, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

describe.each(SDKS)('@google/genai v$major: fails open', (sdk) => {
  it('returns the same result when pricing throws, and still ends the span', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'same', {
        promptTokenCount: 2,
        candidatesTokenCount: 1,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    const plain = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    setPricer(throwingPricer);
    try {
      const traced = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
      expect(JSON.stringify(traced)).toBe(JSON.stringify(plain));
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(2);
  });

  it('streams every chunk when pricing throws at the end', async () => {
    h.replay.add(
      streamExchange('gemini-2.5-flash', ['a', 'b', 'c'], {
        promptTokenCount: 2,
        candidatesTokenCount: 3,
      }),
    );
    const ai = gemini(sdk, h.replay.url);
    setPricer(throwingPricer);
    try {
      const stream = await ai.models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'x',
      });
      let text = '';
      for await (const c of stream) text += c.text ?? '';
      expect(text).toBe('abc');
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(1);
  });

  it('does nothing after disable()', async () => {
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'ok', { promptTokenCount: 2, candidatesTokenCount: 1 }),
    );
    const ai = gemini(sdk, h.replay.url);
    h.instrumentation.disable();
    try {
      await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });

  it('patches a module copy only once', async () => {
    h.instrumentation.patchExports('@google/genai', { Models: sdk.Models });
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'ok', { promptTokenCount: 2, candidatesTokenCount: 1 }),
    );
    await gemini(sdk, h.replay.url).models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'x',
    });
    expect(h.tracing.spans()).toHaveLength(1);
  });
});
