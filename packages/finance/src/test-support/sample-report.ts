// A report made without Prometheus, for the renderers' tests: many rows, awkward label values.
import { allocate } from '../report/chargeback.ts';
import type { Report } from '../report/model.ts';
import { apportion } from '../report/money.ts';
import { parseRules } from '../report/rules/load.ts';
import type { SpendRow } from '../report/spend.ts';

export const AWKWARD = [
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  'a "quoted", value',
  'pipe | star *',
];

export function sampleReport(): Report {
  const teams = [...AWKWARD, ...Array.from({ length: 18 }, (_, i) => `team-${i + 1}`)];
  const rows: SpendRow[] = teams.flatMap((team, i) => [
    { labels: { team }, source: 'llm' as const, value: 100 / (i + 1) + 0.004, queries: ['q1'] },
    {
      labels: { team },
      source: 'vectordb' as const,
      value: i % 3 === 0 ? 0.3337 : 0,
      queries: ['q1', 'q2'],
    },
  ]);
  const llm = rows.filter((r) => r.source === 'llm').map((r) => r.value);
  const vdb = rows.filter((r) => r.source === 'vectordb').map((r) => r.value);
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const [lt, vt] = apportion([sum(llm), sum(vdb)], 2);
  const lu = apportion(llm, 2, lt);
  const vu = apportion(vdb, 2, vt);
  const total = sum(llm) + sum(vdb);
  const rules = parseRules(
    `shared:\n  - { name: shared, selector: 'team=~"team-1.*"', split: usage, receivers: [team-2, team-3] }\nmarkup: { default: 7.5% }\n`,
    'rules.yaml',
  );
  const days = [0, 1, 2].map((d) => ({
    day: `2025-02-0${d + 1}`,
    start: new Date(Date.UTC(2025, 1, d + 1)).toISOString(),
    end: new Date(Date.UTC(2025, 1, d + 2)).toISOString(),
    llm: apportion([sum(llm) / 3, sum(llm) / 3, sum(llm) / 3], 2, lt)[d],
    vectordb: apportion([sum(vdb) / 3, sum(vdb) / 3, sum(vdb) / 3], 2, vt)[d],
    total: 0,
    queries: [`q${d + 3}`],
  }));
  for (const d of days) d.total = d.llm + d.vectordb;
  return {
    title: 'Sample <report>',
    generatedAt: '2025-03-01T00:00:00.000Z',
    prometheusUrl: 'http://prometheus:9090',
    period: {
      label: '2025-02',
      timeZone: 'UTC',
      start: '2025-02-01T00:00:00.000Z',
      end: '2025-02-04T00:00:00.000Z',
      periodEnd: '2025-03-01T00:00:00.000Z',
      complete: false,
    },
    by: ['team'],
    sources: ['llm', 'vectordb'],
    decimals: 2,
    currency: 'USD',
    totals: { llm: lt, vectordb: vt, total: lt + vt, exactUsd: total },
    showback: teams.map((team, i) => ({
      labels: { team },
      llm: lu[i],
      vectordb: vu[i],
      total: lu[i] + vu[i],
      share: (llm[i] + vdb[i]) / total,
      queries: vdb[i] ? ['q1', 'q2'] : ['q1'],
    })),
    daily: days,
    chargeback: allocate(rows, rules, 2, []),
    queries: [1, 2, 3, 4, 5].map((n) => ({
      id: `q${n}`,
      purpose: 'test <query>',
      kind: 'instant' as const,
      promql: 'sum by (team) (x{a="<b>"})',
      time: '2025-02-04T00:00:00.000Z',
      rows: 1,
    })),
    notes: ['A note with <html>.'],
  };
}
