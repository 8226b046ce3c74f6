import { type QueryGroup, spendQuery } from '@burnrate/budget-evaluator';
import type { SeriesDrops } from './resets.ts';
import type { TracedQueries } from './trace.ts';

export type Source = 'llm' | 'vectordb';
export const SOURCES: readonly Source[] = ['llm', 'vectordb'];

export const COST_METRICS: Record<Source, string> = {
  llm: 'burnrate_llm_cost_usd_total',
  vectordb: 'burnrate_vectordb_cost_usd_total',
};

/** Labels a report can group by and a chargeback selector can use. */
export const GROUP_LABELS = [
  'team',
  'tenant',
  'service',
  'endpoint',
  'model',
  'agent',
  'environment',
  'provider',
  'db_system',
  'operation',
] as const;
export type GroupLabel = (typeof GROUP_LABELS)[number];

const SOURCE_LABEL = 'burnrate_source';
const RESETS_LABEL = 'burnrate_resets';

/** Spend of one source for one combination of the grouping labels. */
export interface SpendRow {
  labels: Record<string, string>;
  source: Source;
  value: number;
  /** Ids of the queries the value came from. */
  queries: string[];
}

export interface SpendResult {
  rows: SpendRow[];
  /** Sources whose series reset (a counter dropped) in the period or the hour before it. */
  resetSources: Source[];
  queryId: string;
}

/**
 * The budget evaluator's spend query (per series: the last value in the period minus the last
 * value in the hour before it, 0 for a series born inside the period; no extrapolation),
 * grouped by `labels` and the source, evaluated at the period's end.
 */
export function reportSpendQuery(labels: readonly string[], sources: Source[], seconds: number) {
  const group: QueryGroup = {
    key: 'report',
    period: { kind: 'rolling', seconds, label: 'report' },
    sources,
    labels: sources.length > 1 ? [...labels, SOURCE_LABEL] : [...labels],
    lookbackSeconds: 0,
    stepSeconds: 0,
    members: [],
  };
  return spendQuery(group, seconds);
}

export async function querySpend(
  q: TracedQueries,
  purpose: string,
  labels: readonly string[],
  sources: Source[],
  start: number,
  end: number,
): Promise<SpendResult> {
  const seconds = Math.round((end - start) / 1000);
  const r = await q.query(purpose, reportSpendQuery(labels, sources, seconds), end);
  const rows: SpendRow[] = [];
  const resetSources: Source[] = [];
  for (const s of r.samples) {
    const marker = s.metric[RESETS_LABEL];
    if (marker !== undefined) {
      if ((SOURCES as readonly string[]).includes(marker)) resetSources.push(marker as Source);
      continue;
    }
    const source = (s.metric[SOURCE_LABEL] ?? sources[0]) as Source;
    const picked: Record<string, string> = {};
    for (const l of labels) picked[l] = s.metric[l] ?? '';
    rows.push({ labels: picked, source, value: s.value, queries: [r.id] });
  }
  return { rows, resetSources, queryId: r.id };
}

export function labelKey(labels: readonly string[], metric: Readonly<Record<string, string>>) {
  return JSON.stringify(labels.map((l) => metric[l] ?? ''));
}

/**
 * Adds the values before each counter reset (drops with their time in (from, to]) to the rows
 * with the same grouping labels; a combination with no row yet gets one.
 */
export function addResets(
  rows: SpendRow[],
  labels: readonly string[],
  source: Source,
  drops: readonly SeriesDrops[],
  from: number,
  to: number,
): void {
  const byKey = new Map<string, SpendRow>();
  for (const row of rows) if (row.source === source) byKey.set(labelKey(labels, row.labels), row);
  for (const series of drops) {
    const add = series.drops
      .filter((d) => d.time > from && d.time <= to)
      .reduce((a, d) => a + d.value, 0);
    if (add === 0) continue;
    const key = labelKey(labels, series.labels);
    let row = byKey.get(key);
    if (!row) {
      const picked: Record<string, string> = {};
      for (const l of labels) picked[l] = series.labels[l] ?? '';
      row = { labels: picked, source, value: 0, queries: [] };
      rows.push(row);
      byKey.set(key, row);
    }
    row.value += add;
    for (const id of series.queries) if (!row.queries.includes(id)) row.queries.push(id);
  }
}
