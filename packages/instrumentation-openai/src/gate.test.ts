import { countChatTokens, registerModelCallGate } from '@burnrate/core';
import { expectBlockingGateRefuses, loadHar } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

describe.each(SDKS)('openai v$major: budget gates', (sdk) => {
  it('a blocking gate refuses the call before any request, with the error on one span', async () => {
    await expectBlockingGateRefuses(
      () =>
        client(sdk, h.replay.url).chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      h,
    );
  });

  it('a degrading gate lowers the output cap and swaps the model on a copy of the body, and settles', async () => {
    const settled: (number | undefined)[] = [];
    let asked: number | undefined;
    const stop = registerModelCallGate((req) => {
      asked = req.estimateInputTokens();
      return {
        maxOutputTokens: 64,
        model: 'gpt-3.5-turbo',
        attributes: { 'burnrate.budget.action': 'degrade' },
        settle: (a) => settled.push(a.usd),
      };
    });
    try {
      h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
      const openai = client(sdk, h.replay.url);
      const body = {
        model: 'gpt-4o',
        max_tokens: 500,
        messages: [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }],
      };
      await openai.chat.completions.create(body);
      expect(body.max_tokens).toBe(500);
      const sent = h.replay.requests[0].json as { model: string; max_tokens: number };
      expect(sent).toMatchObject({ model: 'gpt-3.5-turbo', max_tokens: 64 });
      expect(asked).toBe(countChatTokens(body.messages, 'gpt-4o'));
      const a = h.tracing.spans()[0].attributes;
      expect(a['gen_ai.request.model']).toBe('gpt-3.5-turbo');
      expect(a['gen_ai.request.max_tokens']).toBe(64);
      expect(a['burnrate.budget.action']).toBe('degrade');
      expect(settled).toHaveLength(1);
      expect(settled[0]).toBeCloseTo(a['burnrate.cost.usd'] as number, 15);
    } finally {
      stop();
    }
  });
});
