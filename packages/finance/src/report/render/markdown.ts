import type { Report } from '../model.ts';
import { dollars } from '../money.ts';
import { periodText } from './period-text.ts';
import {
  allocationsTable,
  type Cell,
  chargebackTable,
  showbackTable,
  type Table,
} from './tables.ts';

function esc(text: string): string {
  return text.replace(/[\\|*_`[\]<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function mdCell(cell: Cell, decimals: number): string {
  switch (cell.kind) {
    case 'text':
      return cell.value === '' ? '—' : esc(cell.value);
    case 'money':
      return dollars(cell.units, decimals);
    case 'ratio':
      return `${(cell.value * 100).toFixed(1)}%`;
    case 'queries':
      return cell.ids.map((id) => `[${id}](#${id})`).join(' ');
  }
}

function mdTable(t: Table, decimals: number): string {
  const numeric = t.rows[0]?.map((c) => c.kind === 'money' || c.kind === 'ratio') ?? [];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `### ${esc(t.title)}`,
    '',
    line(t.titles.map(esc)),
    line(t.titles.map((_, i) => (numeric[i] ? '---:' : '---'))),
    ...t.rows.map((row) => line(row.map((c) => mdCell(c, decimals)))),
  ];
  if (t.totals)
    out.push(line(t.totals.map((c) => `**${mdCell(c, decimals)}**`.replace('****', ''))));
  return out.join('\n');
}

/** The report as Markdown (GitHub flavour): tables with footnote links to the queries. */
export function renderMarkdown(r: Report): string {
  const d = r.decimals;
  const parts = [
    `# ${esc(r.title)}`,
    '',
    `Period **${esc(r.period.label)}**: ${esc(periodText(r))}. Source: ${esc(r.prometheusUrl)}, generated ${r.generatedAt}.`,
    '',
    `**Total ${dollars(r.totals.total, d)}**: LLM ${dollars(r.totals.llm, d)}, vector DB ${dollars(r.totals.vectordb, d)}.`,
    '',
    mdTable(showbackTable(r), d),
  ];
  const cb = chargebackTable(r);
  const al = allocationsTable(r);
  if (cb && r.chargeback) {
    parts.push('', `Rules: \`${esc(r.chargeback.rulesFile)}\``, '', mdTable(cb, d));
    if (al && al.rows.length > 0) parts.push('', mdTable(al, d));
  }
  if (r.notes.length > 0) parts.push('', '### Notes', '', ...r.notes.map((n) => `- ${esc(n)}`));
  parts.push('', '### Queries', '');
  for (const q of r.queries) {
    const when = q.time ? `at ${q.time}` : `from ${q.start} to ${q.end} every ${q.stepSeconds} s`;
    parts.push(
      `<a id="${q.id}"></a>**${q.id}** ${esc(q.purpose)}, ${q.kind} ${when}, ${q.rows} rows:`,
      '',
      '```promql',
      q.promql,
      '```',
      '',
    );
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
