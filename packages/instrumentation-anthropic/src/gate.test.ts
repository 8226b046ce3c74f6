import { registerModelCallGate } from '@burnrate/core';
import { expectBlockingGateRefuses, loadHar } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();
const REQUEST = {
  model: 'claude-opus-4-1-20250805',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }],
};

describe.each(SDKS)('@anthropic-ai/sdk $label: budget gates', (sdk) => {
  it('a blocking gate refuses the call before any request, with the error on one span', async () => {
    await expectBlockingGateRefuses(() => client(sdk, h.replay.url).messages.create(REQUEST), h);
  });

  it('a degrading gate lowers max_tokens and swaps the model on a copy, prices once, and settles', async () => {
    const settled: (number | undefined)[] = [];
    const stop = registerModelCallGate(() => ({
      maxOutputTokens: 200,
      model: 'claude-3-opus-20240229',
      attributes: { 'burnrate.budget.action': 'degrade' },
      settle: (a) => settled.push(a.usd),
    }));
    try {
      h.replay.add(loadHar('anthropic/should-set-attributes-in-span-for-messages.har'));
      const body = { ...REQUEST };
      await client(sdk, h.replay.url).messages.create(body);
      expect(body.max_tokens).toBe(1024);
      expect(h.replay.requests[0].json).toMatchObject({
        model: 'claude-3-opus-20240229',
        max_tokens: 200,
      });
      const priced = h.tracing
        .spans()
        .filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
      expect(priced).toHaveLength(1);
      const a = priced[0].attributes;
      expect(a['gen_ai.request.model']).toBe('claude-3-opus-20240229');
      expect(a['gen_ai.request.max_tokens']).toBe(200);
      expect(a['burnrate.budget.action']).toBe('degrade');
      expect(a['burnrate.cost.usd']).toBeCloseTo((17 * 15 + 137 * 75) / 1e6, 12);
      expect(settled).toEqual([a['burnrate.cost.usd']]);
    } finally {
      stop();
    }
  });
});
