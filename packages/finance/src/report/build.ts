import type { PrometheusClient } from '@burnrate/budget-evaluator';
import { allocate, byId, chargebackLabels } from './chargeback.ts';
import type { DailyRow, Report, ShowbackRow } from './model.ts';
import { apportion, toUnits } from './money.ts';
import { localDays, type ReportPeriod } from './period.ts';
import { findDrops, type SeriesDrops } from './resets.ts';
import type { ChargebackRules } from './rules/load.ts';
import {
  addResets,
  COST_METRICS,
  type GroupLabel,
  labelKey,
  querySpend,
  type Source,
  type SpendRow,
} from './spend.ts';
import { iso, mapLimit, TracedQueries } from './trace.ts';

export interface ReportOptions {
  client: PrometheusClient;
  period: ReportPeriod;
  by: GroupLabel[];
  sources: Source[];
  rules: ChargebackRules | null;
  /** Digits after the point in every amount (2: cents). */
  decimals: number;
  title?: string;
  /** Spend per local day for the chart (one query per day); periods over 93 days have none. */
  daily?: boolean;
  now?: number;
}

export const MAX_DAILY_DAYS = 93;

/** Queries Prometheus and builds the report: showback, daily spend, chargeback. */
export async function buildReport(opts: ReportOptions): Promise<Report> {
  const { period, by, sources, decimals } = opts;
  const q = new TracedQueries(opts.client);
  const notes: string[] = [];
  const { start, end } = period;

  const showback = await querySpend(
    q,
    `spend by ${by.join(', ') || 'nothing'}`,
    by,
    sources,
    start,
    end,
  );
  const drops = new Map<Source, SeriesDrops[]>();
  for (const source of sources.filter((s) => showback.resetSources.includes(s))) {
    drops.set(source, await findDrops(q, COST_METRICS[source], start, end));
  }
  const withResets = (rows: SpendRow[], labels: readonly string[], from: number, to: number) => {
    for (const [source, d] of drops) addResets(rows, labels, source, d, from, to);
    return rows;
  };
  const spendRows = withResets(showback.rows, by, start, end);
  const resetSeries = [...drops.values()].reduce((a, d) => a + d.length, 0);
  if (resetSeries > 0) {
    notes.push(
      `${resetSeries} series had counter resets in the period (a restarted Collector or process): the values before each reset are included.`,
    );
  }

  // Showback: one row per combination of the `by` labels.
  const groups = new Map<
    string,
    { labels: Record<string, string>; llm: number; vectordb: number; queries: Set<string> }
  >();
  for (const row of spendRows) {
    const key = labelKey(by, row.labels);
    let g = groups.get(key);
    if (!g) {
      g = { labels: row.labels, llm: 0, vectordb: 0, queries: new Set() };
      groups.set(key, g);
    }
    g[row.source] += row.value;
    for (const id of row.queries) g.queries.add(id);
  }
  // Largest first (by exact spend, so rounding never reorders), then by label values.
  const list = [...groups.values()].sort(
    (a, b) =>
      b.llm + b.vectordb - (a.llm + a.vectordb) ||
      labelKey(by, a.labels).localeCompare(labelKey(by, b.labels)),
  );
  const exactLlm = list.reduce((a, g) => a + g.llm, 0);
  const exactVdb = list.reduce((a, g) => a + g.vectordb, 0);
  const exactTotal = exactLlm + exactVdb;
  const [llmUnits, vdbUnits] = apportion([exactLlm, exactVdb], decimals);
  const llmCol = apportion(
    list.map((g) => g.llm),
    decimals,
    llmUnits,
  );
  const vdbCol = apportion(
    list.map((g) => g.vectordb),
    decimals,
    vdbUnits,
  );
  const rows: ShowbackRow[] = list.map((g, i) => ({
    labels: g.labels,
    llm: llmCol[i],
    vectordb: vdbCol[i],
    total: llmCol[i] + vdbCol[i],
    share: exactTotal === 0 ? 0 : (g.llm + g.vectordb) / exactTotal,
    queries: [...g.queries].sort(byId),
  }));

  const daily =
    opts.daily === false
      ? []
      : await dailySpend(q, opts, withResets, notes, [llmUnits, vdbUnits], exactTotal);

  let chargeback: Report['chargeback'] = null;
  if (opts.rules) {
    const labels = chargebackLabels(opts.rules);
    const res = await querySpend(
      q,
      `spend by ${labels.join(', ')} (chargeback)`,
      labels,
      sources,
      start,
      end,
    );
    chargeback = allocate(withResets(res.rows, labels, start, end), opts.rules, decimals, notes);
  }
  if (!period.complete) {
    notes.push(`The period is still running: spend up to ${iso(end)}.`);
  }
  return {
    title: opts.title ?? `LLM and vector-DB spend, ${period.label}`,
    generatedAt: iso(opts.now ?? Date.now()),
    prometheusUrl: opts.client.url,
    period: {
      label: period.label,
      timeZone: period.timeZone,
      start: iso(start),
      end: iso(end),
      periodEnd: iso(period.periodEnd),
      complete: period.complete,
    },
    by,
    sources,
    decimals,
    currency: 'USD',
    totals: { llm: llmUnits, vectordb: vdbUnits, total: llmUnits + vdbUnits, exactUsd: exactTotal },
    showback: rows,
    daily,
    chargeback,
    queries: q.records,
    notes,
  };
}

async function dailySpend(
  q: TracedQueries,
  opts: ReportOptions,
  withResets: (rows: SpendRow[], labels: readonly string[], from: number, to: number) => SpendRow[],
  notes: string[],
  [llmUnits, vdbUnits]: number[],
  exactTotal: number,
): Promise<DailyRow[]> {
  const { period, sources, decimals } = opts;
  const days = localDays(period.start, period.end, period.timeZone);
  if (days.length > MAX_DAILY_DAYS) {
    notes.push(`No daily chart: the period has more than ${MAX_DAILY_DAYS} days.`);
    return [];
  }
  const perDay = await mapLimit(days, 2, async ([from, to]) => {
    const r = await querySpend(q, 'spend of one day', [], sources, from, to);
    const rows = withResets(r.rows, [], from, to);
    const sum = (s: Source) => rows.filter((x) => x.source === s).reduce((a, x) => a + x.value, 0);
    const queries = [...new Set(rows.flatMap((x) => x.queries))];
    return {
      from,
      to,
      llm: sum('llm'),
      vectordb: sum('vectordb'),
      queries: queries.length ? queries : [r.queryId],
    };
  });
  const dayTotal = perDay.reduce((a, d) => a + d.llm + d.vectordb, 0);
  // Days add up to the period unless a series was silent for over an hour across a midnight
  // (its start value for that day is then unknown): say so rather than bend the numbers.
  const ties = toUnits(dayTotal, decimals) === toUnits(exactTotal, decimals);
  if (!ties) {
    notes.push(
      `The days add up to ${dayTotal.toFixed(decimals)} USD, not the period's ${exactTotal.toFixed(decimals)} USD: some series were silent for over an hour across a midnight. The period total is the reference.`,
    );
  }
  const llm = apportion(
    perDay.map((d) => d.llm),
    decimals,
    ties ? llmUnits : undefined,
  );
  const vdb = apportion(
    perDay.map((d) => d.vectordb),
    decimals,
    ties ? vdbUnits : undefined,
  );
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: period.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return perDay.map((d, i) => ({
    day: fmt.format(new Date(d.from)),
    start: iso(d.from),
    end: iso(d.to),
    llm: llm[i],
    vectordb: vdb[i],
    total: llm[i] + vdb[i],
    queries: d.queries.sort(byId),
  }));
}
