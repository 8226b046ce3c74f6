import { describe, expect, it } from 'vitest';
import {
  type PromSeries,
  panelFrames,
  reduceToDisplay,
  type TargetModel,
  tableRows,
  transform,
} from './grafana-model.ts';

const instant = (labels: Record<string, string>, value: number): PromSeries => ({
  labels,
  values: [[1_800_000_000, value]],
});
const budgets = [
  instant({ budget: 'company-monthly' }, 0.12),
  instant({ budget: 'search-team-monthly' }, 0.85),
  instant({ budget: 'prod-openai-daily' }, 0.24),
];
const lastNotNull = { values: false, calcs: ['lastNotNull'] };

describe('a bar gauge over an instant query', () => {
  it('in table format reduces every series to one value (one bar)', () => {
    const t: TargetModel = {
      refId: 'A',
      format: 'table',
      instant: true,
      legendFormat: '{{budget}}',
    };
    const frames = panelFrames([t], { A: budgets });
    expect(frames).toHaveLength(1);
    expect(frames[0].fields.map((f) => f.name)).toEqual(['Time', 'budget', 'Value']);
    expect(reduceToDisplay(frames, lastNotNull)).toEqual([{ name: 'Value', value: 0.24 }]);
  });

  it('in table format with reduceOptions.values shows one value per row', () => {
    const t: TargetModel = { refId: 'A', format: 'table', instant: true };
    const shown = reduceToDisplay(panelFrames([t], { A: budgets }), { values: true });
    expect(shown.map((v) => v.value)).toEqual([0.12, 0.85, 0.24]);
  });

  it('in time-series format draws one bar per series, named by the legend', () => {
    const t: TargetModel = {
      refId: 'A',
      format: 'time_series',
      instant: true,
      legendFormat: '{{budget}}',
    };
    expect(reduceToDisplay(panelFrames([t], { A: budgets }), lastNotNull)).toEqual([
      { name: 'company-monthly', value: 0.12 },
      { name: 'search-team-monthly', value: 0.85 },
      { name: 'prod-openai-daily', value: 0.24 },
    ]);
  });
});

describe('a "top 10" table of merged instant queries', () => {
  const teams = Array.from({ length: 14 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  const spend = teams.map((team, i) => instant({ team }, i + 1));
  const calls = teams.map((team) => instant({ team }, 100));
  const targets: TargetModel[] = [
    { refId: 'A', format: 'table', instant: true },
    { refId: 'B', format: 'table', instant: true },
  ];
  const organize = {
    id: 'organize',
    options: { excludeByName: { Time: true }, renameByName: { 'Value #A': 'Spend' } },
  };

  it('joins the queries on their labels, so a column without topk brings every row back', () => {
    const topA = [...spend].sort((a, b) => b.values[0][1] - a.values[0][1]).slice(0, 10);
    const frames = transform(panelFrames(targets, { A: topA, B: calls }), [
      { id: 'merge' },
      organize,
    ]);
    expect(tableRows(frames)).toHaveLength(14);
  });

  it('shows the 10 biggest after sortBy and limit', () => {
    const frames = transform(panelFrames(targets, { A: spend, B: calls }), [
      { id: 'merge' },
      organize,
      { id: 'sortBy', options: { sort: [{ field: 'Spend', desc: true }] } },
      { id: 'limit', options: { limitField: 10 } },
    ]);
    const shown = tableRows(frames);
    expect(shown).toHaveLength(10);
    expect(shown[0]).toEqual({ team: 'team-13', Spend: 14, 'Value #B': 100 });
  });

  it('refuses a transformation it does not model', () => {
    expect(() => transform([], [{ id: 'reduce' }])).toThrow(/not modelled/);
  });
});
