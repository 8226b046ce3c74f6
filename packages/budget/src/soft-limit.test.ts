import { getDefaultPricer } from '@burnrate/pricing';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, currentBudget, withBudget } from './index.ts';
import { catalogCost, MESSAGES, promptTokens, serveChat, useHarness } from './test-setup.ts';

const h = useHarness();

interface Sent {
  model: string;
  max_tokens: number;
}

describe('withBudget: soft limits degrade instead of failing', () => {
  it('lowers max tokens to what the budget can pay, then swaps to the cheaper model, then stops', async () => {
    const limit = 0.02;
    const answer = 400; // the model answers at most 400 tokens
    serveChat(h.replay, 60, (cap) => Math.min(cap, answer));
    const body = { model: 'gpt-4o', max_tokens: 1000, messages: MESSAGES };
    let error: unknown;
    const before: number[] = [];
    await withBudget(
      {
        name: 'agent-run',
        maxUsd: limit,
        soft: { at: 0.5, models: { 'gpt-4o': 'gpt-4o-mini' }, minOutputTokens: 500 },
      },
      async () => {
        try {
          for (let i = 0; i < 60; i++) {
            before.push(currentBudget()!.spentUsd);
            await h.openai().chat.completions.create(body);
          }
        } catch (e) {
          error = e;
        }
        expect(currentBudget()!.spentUsd).toBeLessThanOrEqual(limit);
      },
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(body).toEqual({ model: 'gpt-4o', max_tokens: 1000, messages: MESSAGES }); // the caller's object is untouched
    const sent = h.replay.requests.map((r) => r.json as Sent);
    // Three calls fit as asked.
    expect(sent.slice(0, 3)).toEqual(
      Array(3).fill(expect.objectContaining({ model: 'gpt-4o', max_tokens: 1000 })),
    );
    // The fourth does not: its cap is what is left, to the token, at gpt-4o's catalog prices.
    const p = getDefaultPricer().unitPrices('openai', 'gpt-4o')!;
    const input = promptTokens('gpt-4o');
    const left = limit - 3 * catalogCost('gpt-4o', input, answer);
    const cap = Math.floor((left - input * p.inputPerToken) / p.outputPerToken + 1e-9);
    expect(before[3]).toBeCloseTo(3 * catalogCost('gpt-4o', input, answer), 9);
    expect(cap).toBeGreaterThan(500);
    expect(cap).toBeLessThan(1000);
    expect(sent[3]).toMatchObject({ model: 'gpt-4o', max_tokens: cap });
    // Then the budget cannot pay a useful gpt-4o answer: the model is swapped.
    const firstMini = sent.findIndex((s) => s.model === 'gpt-4o-mini');
    expect(firstMini).toBe(4);
    expect(sent.slice(firstMini).every((s) => s.model === 'gpt-4o-mini')).toBe(true);
    expect(sent.length).toBeGreaterThan(firstMini + 1);
    // The spans say what was changed.
    const spans = h.tracing.calls();
    expect(spans[0].attributes['burnrate.budget.decision']).toBe('allow');
    expect(spans[3].attributes).toMatchObject({
      'burnrate.budget.decision': 'degrade',
      'burnrate.budget.changed': 'max_tokens',
      'burnrate.budget.original_max_tokens': 1000,
      'gen_ai.request.max_tokens': cap,
      'burnrate.budget.reason': 'soft_limit',
    });
    expect(spans[firstMini].attributes).toMatchObject({
      'burnrate.budget.decision': 'degrade',
      'burnrate.budget.original_model': 'gpt-4o',
      'gen_ai.request.model': 'gpt-4o-mini',
    });
    expect(String(spans[firstMini].attributes['burnrate.budget.changed'])).toContain('model');
    expect(spans.at(-1)!.attributes['burnrate.budget.decision']).toBe('block');
  });

  it('in the soft zone, holds every call to soft.maxOutputTokens', async () => {
    serveChat(h.replay, 6);
    const perCall = catalogCost('gpt-4o-mini', promptTokens('gpt-4o-mini'), 1000);
    await withBudget(
      { maxUsd: perCall * 10, soft: { at: 0.2, maxOutputTokens: 256 } },
      async () => {
        for (let i = 0; i < 4; i++) {
          await h.openai().chat.completions.create({
            model: 'gpt-4o-mini',
            max_tokens: 1000,
            messages: MESSAGES,
          });
        }
        expect(currentBudget()!.state).toBe('soft');
      },
    );
    expect(h.replay.requests.map((r) => (r.json as Sent).max_tokens)).toEqual([
      1000, 1000, 256, 256,
    ]);
  });

  it('without a soft limit the same call is refused', async () => {
    serveChat(h.replay, 1);
    const perCall = catalogCost('gpt-4o', promptTokens('gpt-4o'), 1000);
    await withBudget({ maxUsd: perCall - 0.000001 }, async () => {
      await expect(
        h
          .openai()
          .chat.completions.create({ model: 'gpt-4o', max_tokens: 1000, messages: MESSAGES }),
      ).rejects.toBeInstanceOf(BudgetExceededError);
    });
    expect(h.replay.requests).toHaveLength(0);
  });
});
