import { withAgentRun } from '@burnrate/core';
import { exchange, sseBody } from '@burnrate/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { removeBreaker } from './breaker.ts';
import { BudgetExceededError, configureBreaker } from './index.ts';
import { catalogCost, MESSAGES, promptTokens, useHarness } from './test-setup.ts';

const h = useHarness();
const MINI = 'gpt-4o-mini';

afterEach(() => removeBreaker());

/** A chat stream with the usage-only chunk last. */
function serveStream(completionTokens: number): void {
  h.replay.respond('POST', '/v1/chat/completions', () => {
    const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: MINI };
    const prompt = promptTokens(MINI);
    const usage = {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
    };
    return exchange(
      'POST',
      `${h.replay.url}/v1/chat/completions`,
      sseBody([
        { ...base, choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
        { ...base, choices: [], usage },
      ]),
      { contentType: 'text/event-stream' },
    );
  });
}

const stream = () =>
  h.openai().chat.completions.create({
    model: MINI,
    max_tokens: 1000,
    messages: MESSAGES,
    stream: true,
  });

async function drain(s: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of s) {
    // read to the end
  }
}

describe('breaker with streamed calls', () => {
  it('an open stream is a step; its cost counts for velocity once it settles', async () => {
    const actual = catalogCost(MINI, promptTokens(MINI), 40);
    configureBreaker({
      agents: { streamer: { maxCallsPerRun: 2, maxUsdPerMinute: actual * 1.5 } },
    });
    for (let i = 0; i < 3; i++) serveStream(40);
    await withAgentRun({ agent: 'streamer' }, async () => {
      const a = await stream();
      // Nothing settled yet: no spend in the window, so a second call goes.
      const b = await stream();
      // Two calls open: the third is refused as a step.
      const steps = await stream().catch((e: unknown) => e);
      expect(steps).toBeInstanceOf(BudgetExceededError);
      expect((steps as BudgetExceededError).kind).toBe('steps');
      await drain(a);
      await drain(b);
      // Both settled: $2 × actual in the last 60 s ≥ the limit; velocity is checked before steps.
      const fast = await stream().catch((e: unknown) => e);
      expect((fast as BudgetExceededError).kind).toBe('velocity');
      expect((fast as BudgetExceededError).value).toBeCloseTo(2 * actual, 9);
    });
    expect(h.replay.requests).toHaveLength(2);
  });
});
