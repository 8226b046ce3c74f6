import { describe, expect, it } from 'vitest';
import { BudgetConfigError, createBudget, withBudget } from './index.ts';

function problem(options: unknown): string {
  try {
    withBudget(options as never, () => undefined);
  } catch (e) {
    expect(e).toBeInstanceOf(BudgetConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('withBudget options: one clear error naming the option', () => {
  it('rejects bad limits', () => {
    expect(problem({ maxUsd: -1 })).toBe(
      'withBudget: maxUsd: expected a positive number (at most 9000000), got -1',
    );
    expect(problem({ maxUsd: '5' })).toMatch(/^withBudget: maxUsd: .*got "5"$/);
    expect(problem({ maxTokens: 1.5 })).toMatch(
      /^withBudget: maxTokens: expected a positive whole number/,
    );
    expect(problem({ maxUsd: 1e7 })).toMatch(/at most 9000000/);
  });

  it('rejects bad soft limits', () => {
    expect(problem({ maxUsd: 1, soft: 80 })).toMatch(
      /^withBudget: soft\.at: expected a fraction .* got 80$/,
    );
    expect(problem({ soft: 0.8 })).toBe(
      'withBudget: soft: a soft limit needs maxUsd or maxTokens to be a share of',
    );
    expect(problem({ maxUsd: 1, soft: { models: { 'gpt-4o': '' } } })).toMatch(
      /^withBudget: soft\.models\["gpt-4o"\]/,
    );
    expect(problem({ maxUsd: 1, soft: { minOutputTokens: 0 } })).toMatch(
      /^withBudget: soft\.minOutputTokens/,
    );
  });

  it('rejects bad names and labels', () => {
    expect(problem({ name: 'has spaces' })).toMatch(/^withBudget: name: /);
    expect(problem({ session: '' })).toMatch(/^withBudget: session: /);
    expect(problem({ unpriced: 'maybe' })).toBe(
      'withBudget: unpriced: expected "allow" or "block", got "maybe"',
    );
    expect(problem({ outputLimits: { 'gpt-4o': -3 } })).toMatch(
      /^withBudget: outputLimits\["gpt-4o"\]/,
    );
  });

  it('a shared budget keeps one ledger across scopes', () => {
    const b = createBudget({ name: 'session-1', maxUsd: 1, soft: 0.8 });
    expect(withBudget(b, () => 'ran')).toBe('ran');
    expect(b.snapshot()).toMatchObject({
      name: 'session-1',
      limitUsd: 1,
      spentUsd: 0,
      state: 'ok',
    });
  });
});
