import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { forecastSpend } from './forecast.ts';
import { cumulativeQuery, planGroups, spendQuery } from './plan.ts';
import { compileMatchers, formatSelector } from './selector.ts';

function budgetsYaml(n: number): string {
  const lines = ['budgets:'];
  const periods = ['daily', 'weekly', 'monthly'];
  for (let i = 0; i < n; i++) {
    const p = periods[i % 3];
    const sel = i % 2 === 0 ? `{ tenant: t${i} }` : `{ team: team${i % 50}, environment: prod }`;
    lines.push(
      `  - { name: b${i}, selector: ${sel}, period: ${p}, limit_usd: 10, thresholds: [{ at: 1, kind: actual, severity: critical }] }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('query grouping', () => {
  it('10,000 budgets over 3 periods and 2 label sets make 6 groups (12 queries + 1)', () => {
    const cfg = parseConfig(budgetsYaml(10_000), 'b.yaml');
    const groups = planGroups(cfg.budgets);
    expect(groups.length).toBe(6);
    expect(groups.reduce((a, g) => a + g.members.length, 0)).toBe(10_000);
    const tenant = groups.find((g) => g.labels.join() === 'tenant')!;
    expect(tenant.members[0].exactKey).toBe('t0');
  });

  it('separates budgets by time zone, sources and forecast window', () => {
    const cfg = parseConfig(
      `budgets:
  - { name: a, selector: { team: x }, period: monthly, limit_usd: 1, thresholds: [{ at: 1, kind: actual, severity: c }] }
  - { name: b, selector: { team: y }, period: monthly, limit_usd: 1, thresholds: [{ at: 1, kind: actual, severity: c }] }
  - { name: c, selector: { team: y }, period: monthly, timezone: Europe/Paris, limit_usd: 1, thresholds: [{ at: 1, kind: actual, severity: c }] }
  - { name: d, selector: { team: y }, period: monthly, sources: [llm], limit_usd: 1, thresholds: [{ at: 1, kind: actual, severity: c }] }
  - { name: e, selector: { team: y }, period: monthly, forecast: { lookback: 6h }, limit_usd: 1, thresholds: [{ at: 1, kind: actual, severity: c }] }
`,
      'b.yaml',
    );
    expect(planGroups(cfg.budgets).map((g) => g.members.map((m) => m.budget.name))).toEqual([
      ['a', 'b'],
      ['c'],
      ['d'],
      ['e'],
    ]);
  });

  it('writes the spend query over the exact seconds, both cost metrics, grouped by the selector labels', () => {
    const cfg = parseConfig(
      `budgets:
  - { name: a, selector: { team: x, model: { regex: 'gpt-.*' } }, period: monthly, limit_usd: 1, thresholds: [{ at: 1, kind: actual, severity: c }] }
`,
      'b.yaml',
    );
    const [g] = planGroups(cfg.budgets);
    // Per series: last value in the period minus the last one before it (no extrapolation).
    const start = (s: string) => `last_over_time(${s}[3600s] offset 86400s)`;
    const one = (s: string) =>
      `last_over_time(${s}[86400s]) - (${start(s)} or last_over_time(${s}[86400s]) * 0)`;
    const tag = (m: string, src: string) =>
      `label_replace(${one(m)}, "burnrate_source", "${src}", "", "")`;
    // One marker row per source that has series with a counter reset in the period.
    const marker = (s: string, src: string) =>
      `label_replace(count(resets(${s}[90000s]) > 0), "burnrate_resets", "${src}", "", "")`;
    const [llm, vdb] = ['burnrate_llm_cost_usd_total', 'burnrate_vectordb_cost_usd_total'];
    expect(spendQuery(g, 86_400)).toBe(
      `sum by (model, team) (${tag(llm, 'llm')} or ${tag(vdb, 'vectordb')}) or ${marker(llm, 'llm')} or ${marker(vdb, 'vectordb')}`,
    );
    const s = '{__name__=~"burnrate_llm_cost_usd_total|burnrate_vectordb_cost_usd_total"}';
    expect(cumulativeQuery(g)).toBe(`sum by (model, team) (${s})`);
    expect(g.members[0].exactKey).toBeNull();
  });
});

describe('selectors', () => {
  it('match with PromQL semantics: anchored regex, absent label is empty', () => {
    const m = compileMatchers([
      { label: 'model', op: '=~', value: 'gpt-4o.*' },
      { label: 'environment', op: '!=', value: 'production' },
    ]);
    expect(m({ model: 'gpt-4o-mini', environment: 'staging' })).toBe(true);
    expect(m({ model: 'x-gpt-4o' })).toBe(false); // anchored
    expect(m({ model: 'gpt-4o', environment: 'production' })).toBe(false);
    expect(m({ model: 'gpt-4o' })).toBe(true); // absent environment is "" != production
    const not = compileMatchers([{ label: 'provider', op: '!~', value: 'openai|anthropic' }]);
    expect(not({ provider: 'openai' })).toBe(false);
    expect(not({ db_system: 'qdrant' })).toBe(true);
  });

  it('formats selectors with escaping', () => {
    expect(formatSelector([{ label: 'team', op: '=', value: 'a"b' }])).toBe('{team="a\\"b"}');
  });
});

describe('forecast', () => {
  it('is spend so far plus the mean recent rate over the time left, with a one-sigma band', () => {
    const f = forecastSpend(10, [0.001, 0.003, 0.002, 0.002], 3600);
    expect(f.ratePerSecond).toBeCloseTo(0.002, 12);
    expect(f.forecast).toBeCloseTo(10 + 7.2, 9);
    const sd = Math.sqrt((0.001 ** 2 + 0.001 ** 2 + 0 + 0) / 3);
    expect(f.low).toBeCloseTo(10 + (0.002 - sd) * 3600, 9);
    expect(f.high).toBeCloseTo(10 + (0.002 + sd) * 3600, 9);
  });

  it('never goes below spend, and equals spend with no time left', () => {
    expect(forecastSpend(5, [0, 0.01], 100).low).toBe(5);
    expect(forecastSpend(5, [1, 2], 0)).toEqual({ ratePerSecond: 0, forecast: 5, low: 5, high: 5 });
  });
});
