import { describe, expect, it } from 'vitest';
import { allocate, chargebackLabels } from './chargeback.ts';
import { parseRules } from './rules/load.ts';
import type { SpendRow } from './spend.ts';

const row = (team: string, value: number, extra: Record<string, string> = {}): SpendRow => ({
  labels: { team, endpoint: '/a', ...extra },
  source: 'llm',
  value,
  queries: ['q1'],
});

const ROWS: SpendRow[] = [
  row('search', 60),
  row('support', 20),
  row('platform', 10),
  row('search', 5, { endpoint: '/gateway' }),
  row('unassigned', 3.333),
  { ...row('', 1.111), source: 'vectordb', queries: ['q1', 'q7'] },
];

describe('chargeback allocation', () => {
  it('splits shared pools by usage and fixed ratios, unassigned by rule, adds markups', () => {
    const rules = parseRules(
      `shared:
  - { name: platform, selector: 'team="platform"', split: usage }
  - { name: gateway, selector: { endpoint: /gateway }, split: { support: 100% } }
unassigned: { split: usage }
markup: { default: 10%, payers: { support: 0% } }
`,
      'r.yaml',
    );
    expect(chargebackLabels(rules)).toEqual(['endpoint', 'team']);
    const notes: string[] = [];
    const c = allocate(ROWS, rules, 2, notes);
    const by = Object.fromEntries(c.rows.map((r) => [r.payer, r]));
    // usage shares: search 60/80, support 20/80 of platform (10) and of unassigned (4.444)
    expect(by.search).toMatchObject({ direct: 6000, shared: 750 + 333, markupRate: 0.1 });
    expect(by.support).toMatchObject({ direct: 2000, shared: 250 + 500 + 111, markup: 0 });
    expect(by.search.markup).toBe(Math.round((60 + 7.5 + 4.444 * 0.75) * 10));
    expect(c.totals.subtotal).toBe(9944); // 99.444
    expect(c.totals.total).toBe(c.totals.subtotal + c.totals.markup);
    expect(c.rows.reduce((a, r) => a + r.subtotal, 0)).toBe(9944);
    expect(by.support.queries).toEqual(['q1', 'q7']);
    const unassigned = c.allocations.filter((a) => a.pool === 'unassigned');
    expect(unassigned.map((a) => [a.receiver, a.ratio, a.amount])).toEqual([
      ['search', 0.75, 333],
      ['support', 0.25, 111],
    ]);
    expect(notes).toEqual([]);
  });

  it('without an unassigned rule the spend stays visible as its own payer', () => {
    const c = allocate(ROWS, parseRules('', 'r.yaml'), 2, []);
    expect(c.rows.map((r) => [r.payer, r.total])).toEqual([
      ['search', 6500],
      ['support', 2000],
      ['platform', 1000],
      ['unassigned', 444],
    ]);
  });

  it('a pool nobody can take is charged to itself, with a note; no direct spend splits equally', () => {
    const rules = parseRules(
      `shared:
  - { name: all, selector: { team: { regex: ".*" } }, split: usage }
`,
      'r.yaml',
    );
    const notes: string[] = [];
    const c = allocate(ROWS, rules, 2, notes);
    expect(c.rows.map((r) => [r.payer, r.total])).toEqual([['all', 9944]]);
    expect(notes[0]).toMatch(/no receivers/);
    const equal = parseRules(
      `shared:
  - { name: all, selector: { team: { regex: ".*" } }, split: usage, receivers: [a, b, c] }
`,
      'r.yaml',
    );
    const c2 = allocate(ROWS, equal, 2, notes);
    expect(c2.rows.map((r) => r.total).sort()).toEqual([3314, 3315, 3315]);
    expect(notes[1]).toMatch(/split equally/);
  });
});
