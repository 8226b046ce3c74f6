import type { Report } from '../model.ts';
import { plain } from '../money.ts';
import { type Cell, type Table, type TableName, table } from './tables.ts';

/** A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with '. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvCell(cell: Cell, decimals: number): string {
  switch (cell.kind) {
    case 'text':
      return quote(safeText(cell.value));
    case 'money':
      return plain(cell.units, decimals);
    case 'ratio':
      return (cell.value * 100).toFixed(2);
    case 'queries':
      return cell.ids.join(' ');
  }
}

/**
 * One table as CSV (RFC 4180, CRLF line ends, header row): every row also carries the period,
 * so several months' files can be appended.
 */
export function tableCsv(r: Report, t: Table): string {
  const lead = [r.period.label, r.period.start, r.period.end, r.period.timeZone];
  const lines = [
    ['period', 'period_start', 'period_end', 'time_zone', ...t.columns].map(quote).join(','),
    ...t.rows.map((row) =>
      [...lead.map((v) => quote(safeText(v))), ...row.map((c) => csvCell(c, r.decimals))].join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The CSV of a named table; null when the report has no such table (no chargeback rules). */
export function renderCsv(r: Report, name: TableName): string | null {
  const t = table(r, name);
  return t ? tableCsv(r, t) : null;
}
