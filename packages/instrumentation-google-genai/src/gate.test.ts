import { registerModelCallGate } from '@burnrate/core';
import { exchange, expectBlockingGateRefuses } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { generateExchange, generateResponse } from './fixtures.ts';
import { promptTokens } from './request.ts';
import { gemini, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

describe.each(SDKS)('@google/genai v$major: budget gates', (sdk) => {
  it('a blocking gate refuses the call before any request, with the error on one span', async () => {
    await expectBlockingGateRefuses(
      () =>
        gemini(sdk, h.replay.url).models.generateContent({
          model: 'gemini-2.5-pro',
          contents: 'hi',
        }),
      h,
    );
  });

  it('a degrading gate caps the output and swaps the model on a copy of the request, and settles', async () => {
    const settled: (number | undefined)[] = [];
    let asked: number | undefined;
    const stop = registerModelCallGate((req) => {
      asked = req.estimateInputTokens();
      expect(req).toMatchObject({
        provider: 'gcp.gemini',
        operation: 'generate_content',
        model: 'gemini-2.5-pro',
        maxOutputTokens: 500,
      });
      return {
        maxOutputTokens: 64,
        model: 'gemini-2.5-flash',
        attributes: { 'burnrate.budget.action': 'degrade' },
        settle: (a) => settled.push(a.usd),
      };
    });
    try {
      h.replay.add(
        generateExchange('gemini-2.5-flash', 'ok', {
          promptTokenCount: 7,
          candidatesTokenCount: 3,
        }),
      );
      const ai = gemini(sdk, h.replay.url);
      const params = {
        model: 'gemini-2.5-pro',
        contents: 'Tell me a joke',
        config: { maxOutputTokens: 500 },
      };
      await ai.models.generateContent(params);
      expect(params.config.maxOutputTokens).toBe(500);
      expect(h.replay.requests[0].path).toContain('gemini-2.5-flash:generateContent');
      const sent = h.replay.requests[0].json as { generationConfig?: { maxOutputTokens?: number } };
      expect(sent.generationConfig?.maxOutputTokens).toBe(64);
      expect(asked).toBe(promptTokens(params));
      const a = h.tracing.spans()[0].attributes;
      expect(a['gen_ai.request.model']).toBe('gemini-2.5-flash');
      expect(a['gen_ai.request.max_tokens']).toBe(64);
      expect(a['burnrate.budget.action']).toBe('degrade');
      expect(settled).toHaveLength(1);
      expect(settled[0]).toBeCloseTo(a['burnrate.cost.usd'] as number, 15);
    } finally {
      stop();
    }
  });

  it('a degraded call is priced by the model it sent when the response names one the catalog lacks', async () => {
    const stop = registerModelCallGate(() => ({
      model: 'gemini-2.5-flash',
      attributes: { 'burnrate.budget.action': 'degrade' },
    }));
    try {
      const usage = { promptTokenCount: 7, candidatesTokenCount: 3 };
      h.replay.add([
        exchange(
          'POST',
          'https://generativelanguage.googleapis.com/models/gemini-2.5-flash:generateContent',
          generateResponse('gemini-2.5-flash-0000', 'ok', usage),
        ),
      ]);
      await gemini(sdk, h.replay.url).models.generateContent({
        model: 'gemini-2.5-pro',
        contents: 'Tell me a joke',
      });
      const a = h.tracing.spans()[0].attributes;
      expect(a['gen_ai.response.model']).toBe('gemini-2.5-flash-0000');
      expect(a['burnrate.pricing.model']).toBe('gemini-2.5-flash');
      // gemini-2.5-flash: $0.30 / M input, $2.50 / M output (gemini-2.5-pro costs more).
      expect(a['burnrate.cost.usd']).toBeCloseTo((7 * 0.3 + 3 * 2.5) / 1e6, 12);
    } finally {
      stop();
    }
  });
});
