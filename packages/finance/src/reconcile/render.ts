import { dollars, plain, toUnits } from '../report/money.ts';
import { csvCell } from '../report/render/csv.ts';
import type { Line, Tolerance } from './reconcile.ts';
import { sumKinds } from './types.ts';

export const RECONCILE_FORMATS = ['text', 'md', 'csv', 'json'] as const;
export type ReconcileFormat = (typeof RECONCILE_FORMATS)[number];

export interface ReconcileResult {
  from: string;
  to: string;
  ledger: string;
  exports: string[];
  tolerance: Tolerance;
  decimals: number;
  lines: Line[];
}

const COLUMNS = [
  'day',
  'provider',
  'model',
  'ledger_calls',
  'ledger_tokens',
  'provider_tokens',
  'diff_tokens',
  'ledger_usd',
  'provider_usd',
  'diff_usd',
  'diff_pct',
  'status',
  'causes',
] as const;

/** One line's cells as text: `money` formats an amount (dollars for people, plain for CSV). */
function cells(l: Line, money: (usd: number) => string): string[] {
  const tokens = l.export.tokens ? String(sumKinds(l.export.tokens)) : '';
  return [
    l.day,
    l.provider,
    l.model,
    String(l.ledger.calls),
    String(sumKinds(l.ledger.tokens)),
    tokens,
    l.diffTokens === null ? '' : String(l.diffTokens),
    money(l.ledger.usd),
    l.export.usd === null ? '' : money(l.export.usd),
    l.diffUsd === null ? '' : money(l.diffUsd),
    l.diffPct === null ? '' : `${l.diffPct.toFixed(1)}`,
    l.over ? 'OVER' : 'ok',
    l.causes.join('; '),
  ];
}

function summary(r: ReconcileResult): string {
  const over = r.lines.filter((l) => l.over).length;
  const tol = `tolerance ${dollars(toUnits(r.tolerance.usd, r.decimals), r.decimals)} and ${r.tolerance.pct}%`;
  return over === 0
    ? `All ${r.lines.length} lines within ${tol}.`
    : `${over} of ${r.lines.length} lines differ by more than ${tol}.`;
}

export function renderCsv(r: ReconcileResult): string {
  const text = (value: string) => csvCell({ kind: 'text', value }, r.decimals);
  const money = (usd: number) => plain(toUnits(usd, r.decimals), r.decimals);
  // Numbers as they are; text cells quoted and guarded against spreadsheet formulas.
  const cell = (v: string, i: number) => (i >= 3 && i <= 10 ? v : text(v));
  const lines = [COLUMNS.join(','), ...r.lines.map((l) => cells(l, money).map(cell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function renderJson(r: ReconcileResult): string {
  const round = (usd: number) => Number(plain(toUnits(usd, r.decimals), r.decimals));
  return `${JSON.stringify(
    {
      from: r.from,
      to: r.to,
      ledger: r.ledger,
      exports: r.exports,
      tolerance: { usd: r.tolerance.usd, pct: r.tolerance.pct },
      over: r.lines.filter((l) => l.over).length,
      lines: r.lines.map((l) => ({
        day: l.day,
        provider: l.provider,
        model: l.model,
        charge: l.charge,
        ledger: {
          calls: l.ledger.calls,
          tokens: l.ledger.tokens,
          usd: round(l.ledger.usd),
          unpriced_calls: l.ledger.unpriced.calls,
          estimated_calls: l.ledger.estimated.calls,
          refused_calls: l.ledger.refused,
          services: [...l.ledger.services].sort(),
        },
        provider_export: {
          records: l.export.records,
          tokens: l.export.tokens,
          usd: l.export.usd === null ? null : round(l.export.usd),
          projects: [...l.export.projects].sort(),
          keys: [...l.export.keys].sort(),
        },
        diff_tokens: l.diffTokens,
        diff_usd: l.diffUsd === null ? null : round(l.diffUsd),
        diff_pct: l.diffPct === null ? null : Number(l.diffPct.toFixed(2)),
        over: l.over,
        causes: l.causes,
      })),
    },
    null,
    2,
  )}\n`;
}

const TITLES = [
  'Day',
  'Provider',
  'Model',
  'Calls',
  'Ledger tokens',
  'Provider tokens',
  'Δ tokens',
  'Ledger',
  'Provider',
  'Δ',
  'Δ %',
  'Status',
];

export function renderMarkdown(r: ReconcileResult): string {
  const esc = (s: string) => s.replace(/[\\|*_`[\]<>]/g, (c) => `\\${c}`);
  const money = (usd: number) => dollars(toUnits(usd, r.decimals), r.decimals);
  const row = (c: string[]) => `| ${c.map((x) => (x === '' ? '—' : esc(x))).join(' | ')} |`;
  const out = [
    `# Reconciliation ${r.from} to ${r.to} (end exclusive)`,
    '',
    `Ledger ${esc(r.ledger)} against ${r.exports.map((e) => `\`${e}\``).join(', ')}. ${summary(r)}`,
    '',
    `| ${TITLES.join(' | ')} |`,
    `| ${TITLES.map((_, i) => (i >= 3 && i <= 10 ? '---:' : '---')).join(' | ')} |`,
    ...r.lines.map((l) => row(cells(l, money).slice(0, 12))),
  ];
  const explained = r.lines.filter((l) => l.causes.length > 0);
  if (explained.length > 0) {
    out.push('', '## Likely causes', '');
    for (const l of explained) {
      out.push(
        `- **${l.day} ${esc(l.provider)} ${esc(l.model)}**: ${l.causes.map(esc).join('; ')}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Aligned columns for a terminal; causes under each line that is over. */
export function renderText(r: ReconcileResult): string {
  const money = (usd: number) => dollars(toUnits(usd, r.decimals), r.decimals);
  const rows = [TITLES, ...r.lines.map((l) => cells(l, money).slice(0, 12))];
  const widths = TITLES.map((_, i) => Math.max(...rows.map((c) => c[i].length)));
  const fmt = (c: string[]) =>
    c
      .map((x, i) => (i >= 3 && i <= 10 ? x.padStart(widths[i]) : x.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [
    `Reconciliation ${r.from} to ${r.to} (end exclusive), ledger ${r.ledger}`,
    '',
    fmt(rows[0]),
  ];
  r.lines.forEach((l, i) => {
    out.push(fmt(rows[i + 1]));
    for (const c of l.causes) out.push(`    - ${c}`);
  });
  out.push('', summary(r));
  return `${out.join('\n')}\n`;
}

export function renderReconcile(r: ReconcileResult, format: ReconcileFormat): string {
  switch (format) {
    case 'text':
      return renderText(r);
    case 'md':
      return renderMarkdown(r);
    case 'csv':
      return renderCsv(r);
    case 'json':
      return renderJson(r);
  }
}
