import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAttribution } from '@burnrate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  type BudgetGatesHandle,
  startBudgetGates,
  withBudget,
} from '../index.ts';
import { MESSAGES, serveChat, useHarness } from '../test-setup.ts';
import { startFakeEvaluator } from './fake-evaluator.ts';

const h = useHarness();
let ev: Awaited<ReturnType<typeof startFakeEvaluator>>;
let gates: BudgetGatesHandle | undefined;

beforeEach(async () => {
  ev = await startFakeEvaluator();
});
afterEach(async () => {
  gates?.stop();
  gates = undefined;
  await ev.close();
});

const ENV = { OTEL_SERVICE_NAME: 'checkout', BURNRATE_ENVIRONMENT: 'production' };

async function start(extra: Partial<Parameters<typeof startBudgetGates>[0]> = {}) {
  gates = startBudgetGates({ url: ev.url, refreshMs: 60_000, env: ENV, ...extra });
  await gates.ready;
  return gates;
}

function ask(team: string, model = 'gpt-4o', max_tokens = 1000) {
  return withAttribution({ team, endpoint: '/chat' }, () =>
    h.openai().chat.completions.create({ model, max_tokens, messages: MESSAGES }),
  );
}

const attrs = (i: number) => h.tracing.spans()[i].attributes;

describe('gates fed by the budget evaluator', () => {
  it("blocks the calls an exceeded block budget selects, and not another team's", async () => {
    ev.set([
      {
        name: 'search-daily',
        matchers: [
          { label: 'team', op: '=', value: 'search' },
          { label: 'environment', op: '=', value: 'production' },
        ],
        state: 'exceeded',
        limitUsd: 10,
        spentUsd: 10.5,
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await start();
    serveChat(h.replay, 2);
    const e = (await ask('search').catch((x: unknown) => x)) as BudgetExceededError;
    expect(e).toBeInstanceOf(BudgetExceededError);
    expect(e).toMatchObject({
      kind: 'evaluator',
      budget: 'search-daily',
      limitUsd: 10,
      spentUsd: 10.5,
    });
    expect(e.message).toBe(
      'budget "search-daily" is exceeded: $10.50 spent of $10.00 (enforcement: block)',
    );
    await ask('ads');
    expect(h.replay.requests).toHaveLength(1);
    expect(attrs(0)).toMatchObject({
      'burnrate.budget.evaluator.decision': 'block',
      'burnrate.budget.evaluator.budget': 'search-daily',
      'burnrate.budget.evaluator.state': 'exceeded',
      'burnrate.budget.evaluator.status': 'fresh',
    });
    expect(attrs(1)['burnrate.budget.evaluator.decision']).toBe('allow');
  });

  it('matches regex selectors and the resource labels (service, environment) like the evaluator', async () => {
    ev.set([
      {
        name: 'gpt4o-in-checkout',
        matchers: [
          { label: 'model', op: '=~', value: 'gpt-4o.*' },
          { label: 'service', op: '=', value: 'checkout' },
        ],
        state: 'exceeded',
        enforcement: { mode: 'block', degradeAt: null },
      },
      {
        name: 'staging-only',
        matchers: [{ label: 'environment', op: '=', value: 'staging' }],
        state: 'exceeded',
        enforcement: { mode: 'block', degradeAt: null },
      },
      {
        name: 'vector-only',
        matchers: [],
        sources: ['vectordb'],
        state: 'exceeded',
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await start();
    serveChat(h.replay, 2);
    await expect(ask('any', 'gpt-4o-2024-08-06')).rejects.toMatchObject({
      budget: 'gpt4o-in-checkout',
    });
    await ask('any', 'gpt-3.5-turbo');
    expect(h.replay.requests).toHaveLength(1);
  });

  it('makes no request to the evaluator per call: decisions come from the cached states', async () => {
    ev.set([
      {
        name: 'ads',
        matchers: [{ label: 'team', op: '=', value: 'ads' }],
        state: 'ok',
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await start();
    const hits = ev.hits;
    serveChat(h.replay, 20);
    await Promise.all(Array.from({ length: 20 }, () => ask('ads')));
    expect(h.replay.requests).toHaveLength(20);
    expect(ev.hits).toBe(hits);
  });

  it("reads the evaluator's waiting and invalid_data states; bad data cannot lift a block", async () => {
    const team = [{ label: 'team', op: '=', value: 'search' }];
    const block = { mode: 'block', degradeAt: null };
    ev.set([{ name: 'search', matchers: team, state: 'waiting', enforcement: block }]);
    await start();
    serveChat(h.replay, 3);
    await ask('search'); // a fresh install: nothing spent yet, the call goes ahead
    expect(attrs(0)['burnrate.budget.evaluator.status']).toBe('fresh');
    ev.set([{ name: 'search', matchers: team, state: 'exceeded', enforcement: block }]);
    await gates!.refresh();
    await expect(ask('search')).rejects.toBeInstanceOf(BudgetExceededError);
    // A poisoned counter (NaN spend): the last valid state still holds.
    ev.set([{ name: 'search', matchers: team, state: 'invalid_data', enforcement: block }]);
    await gates!.refresh();
    await expect(ask('search')).rejects.toBeInstanceOf(BudgetExceededError);
    expect(h.replay.requests).toHaveLength(1);
  });

  it('applies a new state within one refresh', async () => {
    const team = [{ label: 'team', op: '=', value: 'search' }];
    ev.set([
      {
        name: 'search',
        matchers: team,
        state: 'ok',
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await start();
    serveChat(h.replay, 3);
    await ask('search');
    ev.set([
      {
        name: 'search',
        matchers: team,
        state: 'exceeded',
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await gates!.refresh();
    await expect(ask('search')).rejects.toBeInstanceOf(BudgetExceededError);
    ev.set([
      {
        name: 'search',
        matchers: team,
        state: 'ok',
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await gates!.refresh();
    await ask('search');
    expect(h.replay.requests).toHaveLength(2);
  });

  it('degrade: from degrade_at on, swaps the model and caps output as configured', async () => {
    ev.set([
      {
        name: 'search',
        matchers: [{ label: 'team', op: '=', value: 'search' }],
        state: 'warning',
        limitUsd: 100,
        spentUsd: 92,
        enforcement: { mode: 'degrade', degradeAt: 0.9 },
      },
    ]);
    await start({ degradeModels: { 'gpt-4o': 'gpt-4o-mini' }, degradeMaxTokens: 256 });
    serveChat(h.replay, 2);
    await ask('search');
    await ask('ads');
    expect(h.replay.requests.map((r) => r.json)).toEqual([
      expect.objectContaining({ model: 'gpt-4o-mini', max_tokens: 256 }),
      expect.objectContaining({ model: 'gpt-4o', max_tokens: 1000 }),
    ]);
    expect(attrs(0)).toMatchObject({
      'burnrate.budget.evaluator.decision': 'degrade',
      'burnrate.budget.evaluator.changed': 'max_tokens,model',
      'burnrate.budget.evaluator.original_model': 'gpt-4o',
      'burnrate.budget.evaluator.original_max_tokens': 1000,
      'gen_ai.request.model': 'gpt-4o-mini',
    });
  });

  it('record: the call goes ahead and the span says what block would have done', async () => {
    ev.set([
      {
        name: 'watch',
        matchers: [],
        state: 'exceeded',
        enforcement: { mode: 'record', degradeAt: null },
      },
    ]);
    await start();
    serveChat(h.replay, 1);
    await ask('search');
    expect(h.replay.requests).toHaveLength(1);
    expect(attrs(0)).toMatchObject({
      'burnrate.budget.evaluator.decision': 'record',
      'burnrate.budget.evaluator.would': 'block',
    });
  });

  it('unreachable evaluator: fails open by default, with the decision on the span', async () => {
    ev.setStatus(503);
    await start();
    serveChat(h.replay, 1);
    await ask('search');
    expect(attrs(0)).toMatchObject({
      'burnrate.budget.evaluator.status': 'unreachable',
      'burnrate.budget.evaluator.decision': 'allow',
    });
    expect(gates!.poller.lastError).toMatch(/answered 503/);
  });

  it('an evaluator that requires a read token: sent from the token file, rotated on refresh', async () => {
    const exceeded = {
      name: 'search-daily',
      matchers: [{ label: 'team', op: '=', value: 'search' }],
      state: 'exceeded' as const,
      limitUsd: 10,
      spentUsd: 10.5,
      enforcement: { mode: 'block', degradeAt: null },
    };
    ev.set([exceeded]);
    ev.requireToken('read-token-one-0123456789');
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-gates-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, '\nread-token-one-0123456789\n');
    // Without a token the evaluator refuses: the gates cannot read it and fail open.
    await start();
    expect(gates!.poller.lastError).toMatch(/answered 401/);
    gates!.stop();
    await start({ tokenFile: file });
    expect(gates!.poller.lastError).toBeUndefined();
    serveChat(h.replay, 1);
    expect(await ask('search').catch((x: unknown) => x)).toBeInstanceOf(BudgetExceededError);
    // The evaluator's token is rotated, and so is the file: the next refresh uses the new one.
    ev.requireToken('read-token-two-9876543210');
    writeFileSync(file, 'read-token-two-9876543210\n');
    await gates!.refresh();
    expect(gates!.poller.lastError).toBeUndefined();
    expect(h.replay.requests).toHaveLength(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('unreachable evaluator with fail closed: refuses model calls before any request', async () => {
    await ev.close();
    await start({ failClosed: true });
    serveChat(h.replay, 1);
    const e = (await ask('search').catch((x: unknown) => x)) as BudgetExceededError;
    expect(e.kind).toBe('evaluator_unreachable');
    expect(e.message).toMatch(
      /^budget gates fail closed: the budget evaluator http:\/\/127\.0\.0\.1:\d+ cannot be read/,
    );
    expect(h.replay.requests).toHaveLength(0);
    expect(attrs(0)).toMatchObject({
      'burnrate.budget.evaluator.status': 'unreachable',
      'burnrate.budget.evaluator.decision': 'block',
    });
    ev = await startFakeEvaluator();
  });

  it('keeps enforcing the last good states while refreshes fail (stale), until max staleness', async () => {
    ev.set([
      {
        name: 'search',
        matchers: [{ label: 'team', op: '=', value: 'search' }],
        state: 'exceeded',
        enforcement: { mode: 'block', degradeAt: null },
      },
    ]);
    await start({ maxStalenessMs: 60_000 });
    let now = gates!.poller.lastSuccessAt!;
    ev.setStatus(500);
    await gates!.refresh();
    expect(gates!.poller.freshness(now + 1000)).toBe('stale');
    expect(gates!.poller.freshness(now + 61_000)).toBe('unreachable');
    serveChat(h.replay, 1);
    now = Date.now();
    gates!.poller.lastSuccessAt = now;
    await expect(ask('search')).rejects.toBeInstanceOf(BudgetExceededError);
    expect(attrs(0)['burnrate.budget.evaluator.status']).toBe('stale');
  });

  it('combines with withBudget: the local budget sees the call as the evaluator degraded it', async () => {
    ev.set([
      {
        name: 'all',
        matchers: [],
        state: 'exceeded',
        enforcement: { mode: 'degrade', degradeAt: null },
      },
    ]);
    await start({ degradeModels: { 'gpt-4o': 'gpt-4o-mini' } });
    serveChat(h.replay, 1);
    await withBudget({ maxUsd: 0.001, session: 's-9' }, () => ask('search'));
    expect(h.replay.requests[0].json).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1000 });
    expect(attrs(0)).toMatchObject({
      'burnrate.budget.decision': 'allow',
      'burnrate.budget.evaluator.decision': 'degrade',
      'session.id': 's-9',
    });
  });
});
