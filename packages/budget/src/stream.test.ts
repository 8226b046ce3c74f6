import { exchange, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, currentBudget, withBudget } from './index.ts';
import { catalogCost, MESSAGES, promptTokens, useHarness } from './test-setup.ts';

const h = useHarness();
const MINI = 'gpt-4o-mini';

/** A chat stream as OpenAI sends it, with the usage-only chunk last (the instrumentation asks for it). */
function serveStream(completionTokens: number): void {
  h.replay.respond('POST', '/v1/chat/completions', () => {
    const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: MINI };
    const prompt = promptTokens(MINI);
    return exchange(
      'POST',
      `${h.replay.url}/v1/chat/completions`,
      sseBody([
        {
          ...base,
          choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
          usage: null,
        },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
        {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: prompt,
            completion_tokens: completionTokens,
            total_tokens: prompt + completionTokens,
          },
        },
      ]),
      { contentType: 'text/event-stream' },
    );
  });
}

describe('withBudget with streamed calls', () => {
  it('holds the worst case while the stream is read, then settles to its reported usage', async () => {
    serveStream(40);
    serveStream(40);
    const worst = catalogCost(MINI, promptTokens(MINI), 1000);
    const actual = catalogCost(MINI, promptTokens(MINI), 40);
    await withBudget({ maxUsd: worst * 1.5 }, async () => {
      const stream = await h.openai().chat.completions.create({
        model: MINI,
        max_tokens: 1000,
        messages: MESSAGES,
        stream: true,
      });
      // While the first stream is open, its worst case is held: a second call does not fit.
      expect(currentBudget()!.reservedUsd).toBeCloseTo(worst, 9);
      await expect(
        h.openai().chat.completions.create({ model: MINI, max_tokens: 1000, messages: MESSAGES }),
      ).rejects.toBeInstanceOf(BudgetExceededError);
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hi');
      expect(currentBudget()).toMatchObject({ reservedUsd: 0 });
      expect(currentBudget()!.spentUsd).toBeCloseTo(actual, 9);
      // Settled to the actual usage, the budget now has room for the next call.
      const again = await h.openai().chat.completions.create({
        model: MINI,
        max_tokens: 1000,
        messages: MESSAGES,
        stream: true,
      });
      for await (const _ of again) {
        // drain
      }
      expect(currentBudget()!.spentUsd).toBeCloseTo(2 * actual, 9);
    });
    expect(h.replay.requests).toHaveLength(2);
  });
});
