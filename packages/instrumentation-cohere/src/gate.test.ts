import { registerModelCallGate } from '@burnrate/core';
import { expectBlockingGateRefuses } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { v2ChatExchange } from './fixtures.ts';
import { SDKS, useHarness, v2 } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'Tell me a joke' }];

describe.each(SDKS)('cohere-ai v$major: budget gates', (sdk) => {
  it('a blocking gate refuses the call before any request, with the error on one span', async () => {
    await expectBlockingGateRefuses(
      () => v2(sdk, h.replay.url).chat({ model: 'command-a-03-2025', messages: MESSAGES }),
      h,
    );
  });

  it('a degrading gate caps the output and swaps the model on a copy of the request, and settles', async () => {
    const settled: (number | undefined)[] = [];
    const stop = registerModelCallGate((req) =>
      req.provider === 'cohere' && req.model === 'command-a-03-2025' && req.maxOutputTokens === 500
        ? {
            maxOutputTokens: 64,
            model: 'command-r',
            attributes: { 'burnrate.budget.action': 'degrade' },
            settle: (a) => settled.push(a.usd),
          }
        : undefined,
    );
    try {
      h.replay.add(v2ChatExchange());
      const request = { model: 'command-a-03-2025', messages: MESSAGES, maxTokens: 500 };
      await v2(sdk, h.replay.url).chat(request);
      expect(request.maxTokens).toBe(500);
      expect(h.replay.requests[0].json).toMatchObject({ model: 'command-r', max_tokens: 64 });
      const a = h.tracing.spans()[0].attributes;
      expect(a['gen_ai.request.model']).toBe('command-r');
      expect(a['gen_ai.request.max_tokens']).toBe(64);
      // Priced as the model that served it: command-r, $0.15 / M input, $0.60 / M output.
      expect(a['burnrate.cost.usd']).toBeCloseTo((12 * 0.15 + 9 * 0.6) / 1e6, 12);
      expect(settled).toHaveLength(1);
      expect(settled[0]).toBeCloseTo(a['burnrate.cost.usd'] as number, 15);
    } finally {
      stop();
    }
  });
});
