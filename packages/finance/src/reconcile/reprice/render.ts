import { dollars, plain, toUnits } from '../../report/money.ts';
import { csvCell } from '../../report/render/csv.ts';
import type { RepriceLine } from './reprice.ts';

export interface RepriceResult {
  from: string;
  to: string;
  prices: string;
  decimals: number;
  lines: RepriceLine[];
}

const COLUMNS = [
  'provider',
  'model',
  'calls',
  'ledger_usd',
  'ledger_unpriced_calls',
  'repriced_usd',
  'repriced_unpriced_calls',
  'diff_usd',
  'diff_pct',
];
const TITLES = [
  'Provider',
  'Model',
  'Calls',
  'Ledger',
  'Unpriced',
  'Re-priced',
  'Unpriced after',
  'Δ',
  'Δ %',
];

function cells(l: RepriceLine, money: (usd: number) => string): string[] {
  const diff = l.repricedUsd - l.ledgerUsd;
  return [
    l.provider,
    l.model,
    String(l.calls),
    money(l.ledgerUsd),
    String(l.ledgerUnpriced),
    money(l.repricedUsd),
    String(l.repricedUnpriced),
    money(diff),
    l.ledgerUsd === 0 ? '' : ((diff / l.ledgerUsd) * 100).toFixed(1),
  ];
}

function totals(r: RepriceResult) {
  return r.lines.reduce(
    (t, l) => ({ ledger: t.ledger + l.ledgerUsd, repriced: t.repriced + l.repricedUsd }),
    { ledger: 0, repriced: 0 },
  );
}

export function renderReprice(r: RepriceResult, format: 'text' | 'md' | 'csv' | 'json'): string {
  const people = (usd: number) => dollars(toUnits(usd, r.decimals), r.decimals);
  const machine = (usd: number) => plain(toUnits(usd, r.decimals), r.decimals);
  const t = totals(r);
  const head = `Re-priced ${r.from} to ${r.to} (end exclusive) with ${r.prices}: ${people(t.ledger)} in the ledger, ${people(t.repriced)} re-priced (${people(t.repriced - t.ledger)}).`;
  switch (format) {
    case 'json': {
      const n = (usd: number) => Number(machine(usd));
      const lines = r.lines.map((l) => ({
        provider: l.provider,
        model: l.model,
        calls: l.calls,
        ledger_usd: n(l.ledgerUsd),
        ledger_unpriced_calls: l.ledgerUnpriced,
        repriced_usd: n(l.repricedUsd),
        repriced_unpriced_calls: l.repricedUnpriced,
        diff_usd: n(l.repricedUsd - l.ledgerUsd),
      }));
      const doc = {
        from: r.from,
        to: r.to,
        prices: r.prices,
        ledger_usd: n(t.ledger),
        repriced_usd: n(t.repriced),
        lines,
      };
      return `${JSON.stringify(doc, null, 2)}\n`;
    }
    case 'csv': {
      const text = (value: string) => csvCell({ kind: 'text', value }, r.decimals);
      const rows = r.lines.map((l) =>
        cells(l, machine)
          .map((v, i) => (i < 2 ? text(v) : v))
          .join(','),
      );
      return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
    }
    case 'md': {
      const esc = (s: string) => s.replace(/[\\|*_`[\]<>]/g, (c) => `\\${c}`);
      return `${[
        `# ${esc(head)}`,
        '',
        `| ${TITLES.join(' | ')} |`,
        `| ${TITLES.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
        ...r.lines.map(
          (l) =>
            `| ${cells(l, people)
              .map((c) => (c === '' ? '—' : esc(c)))
              .join(' | ')} |`,
        ),
      ].join('\n')}\n`;
    }
    case 'text': {
      const rows = [TITLES, ...r.lines.map((l) => cells(l, people))];
      const widths = TITLES.map((_, i) => Math.max(...rows.map((c) => c[i].length)));
      const fmt = (c: string[]) =>
        c
          .map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i])))
          .join('  ')
          .trimEnd();
      return `${[head, '', ...rows.map(fmt)].join('\n')}\n`;
    }
  }
}
