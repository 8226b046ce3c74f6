import { getDefaultPricer } from '@burnrate/pricing';
import { beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError, currentBudget, withBudget } from './index.ts';
import {
  catalogCost,
  failChat,
  MESSAGES,
  promptTokens,
  SDKS,
  type Sdk,
  serveChat,
  useHarness,
} from './test-setup.ts';

const h = useHarness();
const MINI = 'gpt-4o-mini';

let sdk: Sdk = SDKS[0];

async function ask(model = MINI, max_tokens: number | null = 1000) {
  return h.openai(sdk).chat.completions.create({
    model,
    messages: MESSAGES,
    ...(max_tokens === null ? {} : { max_tokens }),
  });
}

describe.each(SDKS)('openai v$major: withBudget hard limits', (current) => {
  beforeEach(() => {
    sdk = current;
  });

  it('a loop of calls stops at the budget, to the cent, before any request that would overrun', async () => {
    const perCall = catalogCost(MINI, promptTokens(MINI), 1000);
    const limit = 0.01;
    const affordable = Math.floor(limit / perCall);
    serveChat(h.replay, affordable + 5);
    const exceeded: BudgetExceededError[] = [];
    let done = 0;
    let error: unknown;
    await withBudget(
      { name: 'loop', maxUsd: limit, onExceeded: (e) => exceeded.push(e) },
      async () => {
        try {
          for (let i = 0; i < 100; i++) {
            await ask();
            done++;
          }
        } catch (e) {
          error = e;
        }
        const state = currentBudget();
        expect(state?.spentUsd).toBeCloseTo(affordable * perCall, 9);
        expect(state?.remainingUsd).toBeLessThan(perCall);
        expect(state?.reservedUsd).toBe(0);
        expect(state?.blockedCalls).toBe(1);
      },
    );
    expect(done).toBe(affordable);
    expect(h.replay.requests).toHaveLength(affordable);
    expect(error).toBeInstanceOf(BudgetExceededError);
    const e = error as BudgetExceededError;
    expect(exceeded).toEqual([e]);
    expect(e.kind).toBe('usd');
    expect(e.budget).toBe('loop');
    expect(e.limitUsd).toBe(0.01);
    expect(e.spentUsd).toBeCloseTo(affordable * perCall, 9);
    expect(e.requiredUsd).toBeCloseTo(perCall, 9);
    expect(e.message).toMatch(
      /budget "loop" would be exceeded: this openai\/gpt-4o-mini call may cost up to \$0\.0006\d+ but \$0\.000\d+ of \$0\.010000 remains/,
    );
    const spans = h.tracing.calls();
    const costs = spans
      .map((s) => s.attributes['burnrate.cost.usd'])
      .filter((c) => typeof c === 'number');
    expect(costs.reduce((a, b) => a + b, 0)).toBeCloseTo(affordable * perCall, 9);
    const blocked = spans.at(-1)!;
    expect(blocked.status.code).toBe(2);
    expect(blocked.attributes['burnrate.budget.decision']).toBe('block');
    expect(blocked.attributes['burnrate.budget.reason']).toBe('over_limit_usd');
    expect(spans[0].attributes['burnrate.budget.decision']).toBe('allow');
    expect(spans[0].attributes['burnrate.budget.reserved_usd']).toBeCloseTo(perCall, 9);
  });

  it('concurrent calls reserve before any settles, and together never overrun', async () => {
    const perCall = catalogCost(MINI, promptTokens(MINI), 1000);
    const limit = 0.005;
    serveChat(h.replay, 40);
    const results = await withBudget({ maxUsd: limit }, () =>
      Promise.allSettled(Array.from({ length: 40 }, () => ask())),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(Math.floor(limit / perCall));
    expect(h.replay.requests).toHaveLength(ok);
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
    const spent = h.tracing
      .spans()
      .map((s) => s.attributes['burnrate.cost.usd'])
      .filter((c): c is number => typeof c === 'number')
      .reduce((a, b) => a + b, 0);
    expect(spent).toBeLessThanOrEqual(limit);
  });

  it('settles to the actual usage: short answers leave room for more calls', async () => {
    const worst = catalogCost(MINI, promptTokens(MINI), 1000);
    const actual = catalogCost(MINI, promptTokens(MINI), 100);
    const limit = 0.003;
    serveChat(h.replay, 50, () => 100);
    let n = 0;
    await withBudget({ maxUsd: limit }, async () => {
      await expect(
        (async () => {
          for (;;) {
            await ask();
            n++;
          }
        })(),
      ).rejects.toBeInstanceOf(BudgetExceededError);
      const s = currentBudget()!;
      expect(s.spentUsd).toBeCloseTo(n * actual, 9);
      // It stopped only when the next call's worst case no longer fitted.
      expect(s.spentUsd + worst).toBeGreaterThan(limit);
    });
    expect(n).toBe(Math.floor((limit - worst) / actual) + 1);
  });

  it('a failed call gives its reservation back', async () => {
    failChat(h.replay);
    serveChat(h.replay, 1);
    await withBudget({ maxUsd: 0.001 }, async () => {
      await expect(ask()).rejects.toThrow();
      expect(currentBudget()).toMatchObject({ spentUsd: 0, reservedUsd: 0 });
      await ask();
      expect(currentBudget()?.spentUsd).toBeCloseTo(catalogCost(MINI, promptTokens(MINI), 1000), 9);
    });
  });

  it('fails open: an onExceeded callback that throws never changes what the caller gets', async () => {
    serveChat(h.replay, 1);
    const onExceeded = () => {
      throw new Error('callback bug');
    };
    await withBudget({ maxUsd: 0.0000001, onExceeded }, async () => {
      await expect(ask()).rejects.toBeInstanceOf(BudgetExceededError);
    });
    // Outside the scope the same call goes through untouched.
    const res = await ask();
    expect(res.choices[0].message.content).toContain('OpenTelemetry');
    expect(h.replay.requests).toHaveLength(1);
  });

  it('a token limit refuses the call whose prompt plus output cap would not fit', async () => {
    serveChat(h.replay, 5);
    const per = promptTokens(MINI) + 300;
    await withBudget({ maxTokens: per * 2 + 10 }, async () => {
      await ask(MINI, 300);
      await ask(MINI, 300);
      const e = (await ask(MINI, 300).catch((x: unknown) => x)) as BudgetExceededError;
      expect(e).toBeInstanceOf(BudgetExceededError);
      expect(e.kind).toBe('tokens');
      expect(e.requiredTokens).toBe(per);
      expect(currentBudget()?.usedTokens).toBe(per * 2);
    });
    expect(h.replay.requests).toHaveLength(2);
  });

  it("reserves the model's published output limit when the caller sets no cap", async () => {
    serveChat(h.replay, 1);
    // gpt-4o-mini may answer with up to 16,384 tokens: that worst case needs ~$0.0098.
    const worst = catalogCost(MINI, promptTokens(MINI), 16_384);
    await withBudget({ maxUsd: worst - 0.0001 }, async () => {
      const e = (await ask(MINI, null).catch((x: unknown) => x)) as BudgetExceededError;
      expect(e.requiredUsd).toBeCloseTo(worst, 9);
    });
    await withBudget({ maxUsd: worst }, () => ask(MINI, null));
    expect(h.replay.requests).toHaveLength(1);
  });

  it('nested scopes: a call must fit every enclosing budget, and each keeps its own total', async () => {
    const perCall = catalogCost(MINI, promptTokens(MINI), 1000);
    serveChat(h.replay, 10);
    await withBudget({ name: 'session', maxUsd: perCall * 3 }, async () => {
      await withBudget({ name: 'planner', agent: 'planner', maxUsd: 1 }, () => ask());
      await withBudget({ name: 'writer', agent: 'writer', maxUsd: 1 }, async () => {
        await ask();
        await ask();
        const e = (await ask().catch((x: unknown) => x)) as BudgetExceededError;
        expect(e.budget).toBe('session');
        expect(currentBudget()?.spentUsd).toBeCloseTo(perCall * 2, 9);
      });
      expect(currentBudget()?.spentUsd).toBeCloseTo(perCall * 3, 9);
    });
  });

  it('unpriced models are allowed and counted apart by default, refused with unpriced: block', async () => {
    serveChat(h.replay, 2);
    await withBudget({ maxUsd: 1 }, async () => {
      await ask('my-finetune-xyz', 10);
      expect(currentBudget()).toMatchObject({ spentUsd: 0, unpricedCalls: 1 });
    });
    expect(h.tracing.calls()[0].attributes['burnrate.budget.reason']).toBe('unpriced');
    await withBudget({ maxUsd: 1, unpriced: 'block' }, async () => {
      const e = (await ask('my-finetune-xyz', 10).catch((x: unknown) => x)) as BudgetExceededError;
      expect(e.kind).toBe('unpriced');
      expect(e.message).toContain('no price is known');
    });
    expect(h.replay.requests).toHaveLength(1);
  });

  it('unit prices of the catalog are what the reservation uses (gpt-4o-mini: $0.15 / $0.60 per M)', () => {
    const p = getDefaultPricer().unitPrices('openai', MINI)!;
    expect(p.inputPerToken * 1e6).toBeCloseTo(0.15, 9);
    expect(p.outputPerToken * 1e6).toBeCloseTo(0.6, 9);
  });
});

describe('withBudget: session and agent attribution', () => {
  it('puts session.id and gen_ai.agent.name on every model span in the scope, concurrent ones too', async () => {
    serveChat(h.replay, 4);
    await withBudget({ session: 'sess-42' }, async () => {
      await Promise.all([
        withBudget({ agent: 'researcher' }, () => ask()),
        withBudget({ agent: 'critic' }, () => ask()),
      ]);
      await ask();
    });
    await ask();
    const spans = h.tracing.calls();
    const agents = spans.map((s) => s.attributes['gen_ai.agent.name']);
    expect(agents.slice(0, 2).sort()).toEqual(['critic', 'researcher']);
    expect(agents[2]).toBeUndefined();
    expect(spans.slice(0, 3).map((s) => s.attributes['session.id'])).toEqual([
      'sess-42',
      'sess-42',
      'sess-42',
    ]);
    expect(spans[3].attributes['session.id']).toBeUndefined();
  });

  it('currentBudget is undefined outside a scope and reports the session inside', async () => {
    expect(currentBudget()).toBeUndefined();
    await withBudget({ session: 's1', agent: 'a1', maxUsd: 2 }, async () => {
      expect(currentBudget()).toMatchObject({
        session: 's1',
        agent: 'a1',
        limitUsd: 2,
        spentUsd: 0,
        state: 'ok',
      });
    });
  });
});
