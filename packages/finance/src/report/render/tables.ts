import type { Report } from '../model.ts';

/** One cell: amounts stay in units until each format writes them its own way. */
export type Cell =
  | { kind: 'text'; value: string }
  | { kind: 'money'; units: number }
  | { kind: 'ratio'; value: number }
  | { kind: 'queries'; ids: string[] };

export interface Table {
  name: TableName;
  title: string;
  /** Column keys (CSV headers). */
  columns: string[];
  /** Column titles for people. */
  titles: string[];
  rows: Cell[][];
  /** The totals row (Markdown and HTML only), or null. */
  totals: Cell[] | null;
}

export const TABLE_NAMES = ['showback', 'chargeback', 'allocations', 'daily', 'queries'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

const text = (value: string): Cell => ({ kind: 'text', value });
const money = (units: number): Cell => ({ kind: 'money', units });
const ratio = (value: number): Cell => ({ kind: 'ratio', value });
const queries = (ids: string[]): Cell => ({ kind: 'queries', ids });

export function showbackTable(r: Report): Table {
  return {
    name: 'showback',
    title: `Showback by ${r.by.join(', ') || 'total'}`,
    columns: [...r.by, 'llm_usd', 'vectordb_usd', 'total_usd', 'share_pct', 'queries'],
    titles: [...r.by, 'LLM', 'Vector DB', 'Total', 'Share', 'Queries'],
    rows: r.showback.map((row) => [
      ...r.by.map((l) => text(row.labels[l] ?? '')),
      money(row.llm),
      money(row.vectordb),
      money(row.total),
      ratio(row.share),
      queries(row.queries),
    ]),
    totals: [
      ...r.by.map((_, i) => text(i === 0 ? 'Total' : '')),
      money(r.totals.llm),
      money(r.totals.vectordb),
      money(r.totals.total),
      ratio(r.totals.total === 0 ? 0 : 1),
      queries([]),
    ],
  };
}

export function chargebackTable(r: Report): Table | null {
  const c = r.chargeback;
  if (!c) return null;
  return {
    name: 'chargeback',
    title: `Chargeback by ${c.payer}`,
    columns: [
      c.payer,
      'direct_usd',
      'shared_usd',
      'subtotal_usd',
      'markup_pct',
      'markup_usd',
      'total_usd',
      'queries',
    ],
    titles: [c.payer, 'Direct', 'Shared', 'Subtotal', 'Markup %', 'Markup', 'Total', 'Queries'],
    rows: c.rows.map((row) => [
      text(row.payer),
      money(row.direct),
      money(row.shared),
      money(row.subtotal),
      ratio(row.markupRate),
      money(row.markup),
      money(row.total),
      queries(row.queries),
    ]),
    totals: [
      text('Total'),
      money(c.totals.direct),
      money(c.totals.shared),
      money(c.totals.subtotal),
      text(''),
      money(c.totals.markup),
      money(c.totals.total),
      queries([]),
    ],
  };
}

export function allocationsTable(r: Report): Table | null {
  const c = r.chargeback;
  if (!c) return null;
  return {
    name: 'allocations',
    title: 'Shared and unassigned spend, allocated',
    columns: ['pool', 'selector', 'split', 'receiver', 'ratio_pct', 'amount_usd', 'queries'],
    titles: ['Pool', 'Selector', 'Split', 'Receiver', 'Ratio', 'Amount', 'Queries'],
    rows: c.allocations.map((a) => [
      text(a.pool),
      text(a.selector),
      text(a.split),
      text(a.receiver),
      ratio(a.ratio),
      money(a.amount),
      queries(a.queries),
    ]),
    totals: null,
  };
}

export function dailyTable(r: Report): Table {
  return {
    name: 'daily',
    title: `Spend per day (${r.period.timeZone})`,
    columns: ['day', 'llm_usd', 'vectordb_usd', 'total_usd', 'queries'],
    titles: ['Day', 'LLM', 'Vector DB', 'Total', 'Queries'],
    rows: r.daily.map((d) => [
      text(d.day),
      money(d.llm),
      money(d.vectordb),
      money(d.total),
      queries(d.queries),
    ]),
    totals: null,
  };
}

export function queriesTable(r: Report): Table {
  return {
    name: 'queries',
    title: 'Queries',
    columns: ['id', 'purpose', 'kind', 'promql', 'time', 'start', 'end', 'step_seconds', 'rows'],
    titles: ['Id', 'Purpose', 'Kind', 'PromQL', 'Time', 'Start', 'End', 'Step (s)', 'Rows'],
    rows: r.queries.map((q) => [
      text(q.id),
      text(q.purpose),
      text(q.kind),
      text(q.promql),
      text(q.time ?? ''),
      text(q.start ?? ''),
      text(q.end ?? ''),
      text(q.stepSeconds === undefined ? '' : String(q.stepSeconds)),
      text(String(q.rows)),
    ]),
    totals: null,
  };
}

export function table(r: Report, name: TableName): Table | null {
  switch (name) {
    case 'showback':
      return showbackTable(r);
    case 'chargeback':
      return chargebackTable(r);
    case 'allocations':
      return allocationsTable(r);
    case 'daily':
      return dailyTable(r);
    case 'queries':
      return queriesTable(r);
  }
}
