import { withAgentRun } from '@burnrate/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterEach, describe, expect, it } from 'vitest';
import { removeBreaker, setBreakerClock } from './breaker.ts';
import { BudgetExceededError, configureBreaker, currentBudget, withBudget } from './index.ts';
import {
  catalogCost,
  failChat,
  MESSAGES,
  promptTokens,
  serveChat,
  useHarness,
} from './test-setup.ts';

const h = useHarness();
const MINI = 'gpt-4o-mini';

afterEach(() => {
  removeBreaker();
  setBreakerClock(undefined);
});

function ask(messages: ChatCompletionMessageParam[] = MESSAGES, max_tokens = 1000) {
  return h.openai().chat.completions.create({ model: MINI, messages, max_tokens });
}

/** Runs `step` until it throws (at most 50 times); returns how many went through and the error. */
async function untilRefused(step: (i: number) => Promise<unknown>) {
  let done = 0;
  for (let i = 0; i < 50; i++) {
    try {
      await step(i);
      done++;
    } catch (error) {
      return { done, error: error as BudgetExceededError };
    }
  }
  return { done, error: undefined };
}

const breakerOf = (s: ReadableSpan) => ({
  kind: s.attributes['burnrate.breaker.kind'],
  mode: s.attributes['burnrate.breaker.mode'],
  limit: s.attributes['burnrate.breaker.limit'],
  value: s.attributes['burnrate.breaker.value'],
});

describe('breaker: loops', () => {
  it('a loop of identical requests inside withBudget stops at exactly maxRepeats', async () => {
    serveChat(h.replay, 10);
    const { done, error } = await withBudget({ breaker: { maxRepeats: 3 } }, () =>
      untilRefused(() => ask()),
    );
    expect(done).toBe(3);
    expect(h.replay.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error?.kind).toBe('loop');
    expect(error?.limit).toBe(3);
    expect(error?.value).toBe(4);
    expect(error?.budget).toBe('breaker');
    expect(error?.runId).toMatch(/^[0-9a-f]{12}-/);
    expect(error?.message).toBe(
      `breaker: an agent with no name already sent the same request 3 times in run ${error?.runId} (maxRepeats 3): it looks like a loop, and this openai/gpt-4o-mini call (the same request again) is refused before sending. maxRepeats is set by withBudget({ breaker: { maxRepeats } }): raise it there, or set mode "record" to only mark such calls.`,
    );
    const spans = h.tracing.calls();
    expect(spans).toHaveLength(4);
    for (const s of spans.slice(0, 3)) expect(breakerOf(s).kind).toBeUndefined();
    const refused = spans[3];
    expect(refused.status.code).toBe(2);
    expect(breakerOf(refused)).toEqual({ kind: 'loop', mode: 'enforce', limit: 3, value: 4 });
    expect(refused.attributes['burnrate.run.id']).toBe(error?.runId);
  });

  it('catches a growing-history agent loop repeating the same tool call and result', async () => {
    configureBreaker({ maxRepeats: 3 });
    serveChat(h.replay, 10);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are a research agent. Use tools.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ];
    const { done, error } = await withAgentRun({ agent: 'researcher' }, () =>
      untilRefused(async () => {
        await ask(messages);
        // The model asks for the same tool again, the tool answers the same: the history grows.
        messages.push(
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_weather',
                type: 'function',
                function: { name: 'search', arguments: '{"q":"weather Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_weather', content: 'no results' },
        );
      }),
    );
    // 1 first turn, then the same tail (tool call + result) 3 times; the 4th repeat is refused.
    expect(done).toBe(4);
    expect(h.replay.requests).toHaveLength(4);
    expect(error?.kind).toBe('loop');
    expect(error?.agent).toBe('researcher');
    expect(error?.message).toContain('agent "researcher" already sent the same request 3 times');
    expect(error?.message).toContain('maxRepeats is set by configureBreaker({ maxRepeats })');
    expect(messages.length).toBe(2 + 2 * 4);
  });

  // The model gives each tool call a fresh id, so the tail differs by `tool_call_id` alone:
  // needs core's requestFingerprint to ignore call ids (asked of the lead).
  it('catches the same loop when each turn has a fresh tool call id', async () => {
    configureBreaker({ maxRepeats: 3 });
    serveChat(h.replay, 10);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const { done } = await withAgentRun({ agent: 'researcher' }, () =>
      untilRefused(async (i) => {
        await ask(messages);
        const id = `call_${i}`;
        const fn = { name: 'search', arguments: '{"q":"weather Paris"}' };
        messages.push(
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id, type: 'function', function: fn }],
          },
          { role: 'tool', tool_call_id: id, content: 'no results' },
        );
      }),
    );
    expect(done).toBe(4);
  });

  it('record mode lets every call through and marks the ones over the limit', async () => {
    configureBreaker({ maxRepeats: 2, mode: 'record' });
    serveChat(h.replay, 5);
    const { done, error } = await withAgentRun({ agent: 'a' }, () =>
      untilRefused(async (i) => {
        if (i < 5) await ask();
        else throw new Error('stop');
      }),
    );
    expect(done).toBe(5);
    expect(error?.message).toBe('stop');
    expect(h.replay.requests).toHaveLength(5);
    const spans = h.tracing.calls();
    expect(spans.map((s) => s.status.code)).toEqual([0, 0, 0, 0, 0]);
    expect(spans.every((s) => typeof s.attributes['burnrate.cost.usd'] === 'number')).toBe(true);
    expect(spans.map((s) => breakerOf(s).value)).toEqual([undefined, undefined, 3, 4, 5]);
    expect(breakerOf(spans[2])).toEqual({ kind: 'loop', mode: 'record', limit: 2, value: 3 });
  });
});

describe('breaker: steps', () => {
  it('refuses the call after maxCallsPerRun, counting calls in flight together', async () => {
    configureBreaker({ maxCallsPerRun: 4 });
    serveChat(h.replay, 10);
    const results = await withAgentRun({ agent: 'planner' }, () =>
      Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => ask([{ role: 'user', content: `step ${i}` }])),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(h.replay.requests).toHaveLength(4);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    expect(refused).toHaveLength(6);
    const e = refused[0] as BudgetExceededError;
    expect(e.kind).toBe('steps');
    expect(e.limit).toBe(4);
    expect(e.value).toBe(5);
    expect(e.message).toContain('agent "planner" already made 4 model calls in run');
    expect(e.message).toContain('maxCallsPerRun is set by configureBreaker({ maxCallsPerRun })');
  });

  it('a failed call does not count; each run has its own count', async () => {
    configureBreaker({ maxCallsPerRun: 2 });
    failChat(h.replay);
    serveChat(h.replay, 4);
    const first = await withAgentRun({ agent: 'planner' }, async () => {
      await expect(ask()).rejects.toThrow();
      return untilRefused((i) => ask([{ role: 'user', content: `step ${i}` }]));
    });
    expect(first.done).toBe(2);
    expect(first.error?.kind).toBe('steps');
    const second = await withAgentRun({ agent: 'planner' }, () =>
      untilRefused((i) => ask([{ role: 'user', content: `again ${i}` }])),
    );
    expect(second.done).toBe(2);
    expect(h.replay.requests).toHaveLength(5);
  });

  it('a refused call reserves nothing in the budget of its scope', async () => {
    serveChat(h.replay, 5);
    await withBudget({ maxUsd: 1, breaker: { maxCallsPerRun: 2 } }, async () => {
      const { done, error } = await untilRefused(() => ask());
      expect(done).toBe(2);
      expect(error?.kind).toBe('steps');
      const b = currentBudget();
      expect(b?.calls).toBe(2);
      expect(b?.reservedUsd).toBe(0);
      // Counted as refused in the scope (and told to its onExceeded), never reserved.
      expect(b?.blockedCalls).toBe(1);
    });
  });
});

describe('breaker: velocity', () => {
  it('refuses when the settled spend of the last 60 s reaches maxUsdPerMinute, to the cent', async () => {
    let now = 1_000_000;
    setBreakerClock(() => now);
    configureBreaker({ maxUsdPerMinute: 0.05 });
    serveChat(h.replay, 10);
    // gpt-4o-mini at $0.15 / $0.60 per million tokens: 16,000 output tokens = $0.0096 + the prompt.
    const perCall = catalogCost(MINI, promptTokens(MINI), 16_000);
    expect(perCall).toBeCloseTo(0.0096 + promptTokens(MINI) * 0.15e-6, 12);
    await withAgentRun({ agent: 'spender' }, async () => {
      const step = async () => {
        await ask(MESSAGES, 16_000);
        now += 1_000;
      };
      // 5 calls: $0.048 < $0.05, so the 6th goes; then $0.0576 >= $0.05.
      const first = await untilRefused(step);
      expect(first.done).toBe(6);
      const e = first.error;
      expect(e?.kind).toBe('velocity');
      expect(e?.limit).toBe(0.05);
      expect(e?.value).toBeCloseTo(6 * perCall, 9);
      expect(e?.message).toContain(
        `agent "spender" spent $${(6 * perCall).toFixed(6)} in the last 60 s of run ${e?.runId}`,
      );
      expect(e?.message).toContain('(maxUsdPerMinute $0.050000)');
      // 60 s after the first call ended, its cost leaves the window: one more call fits.
      now = 1_000_000 + 60_000;
      const second = await untilRefused(() => ask(MESSAGES, 16_000));
      expect(second.done).toBe(1);
      expect(second.error?.kind).toBe('velocity');
      expect(second.error?.value).toBeCloseTo(6 * perCall, 9);
    });
    expect(h.replay.requests).toHaveLength(7);
    const spans = h.tracing.calls();
    const refused = spans.filter((s) => s.attributes['burnrate.breaker.kind'] === 'velocity');
    expect(refused).toHaveLength(2);
    expect(breakerOf(refused[0]).limit).toBe(0.05);
  });

  it('a refusal reaches the onExceeded callback of the withBudget scopes around the call', async () => {
    serveChat(h.replay, 3);
    const heard: BudgetExceededError[] = [];
    const r = await withBudget(
      { breaker: { maxCallsPerRun: 2 }, onExceeded: (e) => heard.push(e) },
      () => untilRefused(() => ask()),
    );
    expect(r.done).toBe(2);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBe(r.error);
    expect(heard[0].kind).toBe('steps');
  });
});
