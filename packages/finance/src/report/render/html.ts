import type { Report } from '../model.ts';
import { dollars } from '../money.ts';
import { periodText } from './period-text.ts';
import { type Bar, type ChartSeries, columns, escapeXml as esc, horizontalBars } from './svg.ts';
import {
  allocationsTable,
  type Cell,
  chargebackTable,
  dailyTable,
  queriesTable,
  showbackTable,
  type Table,
} from './tables.ts';

/** Bars in the showback chart; the rest are folded into one. */
export const TOP_BARS = 15;

const SOURCES: ChartSeries[] = [
  { name: 'LLM', color: '#4f6bed' },
  { name: 'Vector DB', color: '#f2a33a' },
];
const CHARGE: ChartSeries[] = [
  { name: 'Direct', color: '#4f6bed' },
  { name: 'Shared', color: '#7cc4a4' },
  { name: 'Markup', color: '#d9667a' },
];

const CSS = `
:root{--fg:#1d2330;--muted:#5b6474;--line:#e3e6ec;--bg:#fff;--card:#f6f7fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.meta{color:var(--muted);margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:var(--card);border-radius:8px;padding:12px 16px;min-width:170px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card .v{font-size:22px;font-weight:600}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{cursor:pointer;user-select:none;font-weight:600;white-space:nowrap}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tfoot td{font-weight:600;border-top:2px solid var(--fg)}
td.q a{color:var(--muted);margin-right:4px}code,pre{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}pre{white-space:pre-wrap;word-break:break-all;background:var(--card);padding:6px 8px;border-radius:6px;margin:4px 0}
.chart{max-width:760px;display:block;margin:8px 0}.chart text{font-size:11px;fill:var(--fg)}.chart .tick{fill:var(--muted)}.chart .grid{stroke:var(--line)}
.notes li{color:var(--muted)}:target{background:#fff6d6}
@media print{th{cursor:auto}body{padding:0}}`;

// Sorting by clicking a column header: numbers by their data-sort value, text by locale.
const JS = `
function openTarget() {
  var t = location.hash && document.getElementById(location.hash.slice(1));
  if (t && t.parentElement && t.parentElement.tagName === 'DETAILS') { t.parentElement.open = true; t.scrollIntoView(); }
}
window.addEventListener('hashchange', openTarget);
openTarget();
document.querySelectorAll('table[data-table]').forEach(function (table) {
  var body = table.tBodies[0];
  table.querySelectorAll('thead th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach(function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col], y = b.cells[col];
        var nx = x.getAttribute('data-sort'), ny = y.getAttribute('data-sort');
        var c = nx !== null && ny !== null ? Number(nx) - Number(ny) : x.textContent.localeCompare(y.textContent);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});`;

function cellHtml(cell: Cell, decimals: number): string {
  switch (cell.kind) {
    case 'text':
      return `<td>${cell.value === '' ? '<span class="meta">—</span>' : esc(cell.value)}</td>`;
    case 'money':
      return `<td class="num" data-sort="${cell.units}" data-units="${cell.units}">${dollars(cell.units, decimals)}</td>`;
    case 'ratio':
      return `<td class="num" data-sort="${cell.value}">${(cell.value * 100).toFixed(1)}%</td>`;
    case 'queries':
      return `<td class="q">${cell.ids.map((id) => `<a href="#${id}">${id}</a>`).join(' ')}</td>`;
  }
}

function tableHtml(t: Table, decimals: number): string {
  const numeric = t.rows[0]?.map((c) => c.kind === 'money' || c.kind === 'ratio') ?? [];
  const head = t.titles
    .map((title, i) => `<th${numeric[i] ? ' class="num"' : ''}>${esc(title)}</th>`)
    .join('');
  const body = t.rows
    .map((row) => `<tr>${row.map((c) => cellHtml(c, decimals)).join('')}</tr>`)
    .join('');
  const foot = t.totals
    ? `<tfoot><tr>${t.totals.map((c) => cellHtml(c, decimals)).join('')}</tr></tfoot>`
    : '';
  return `<h2>${esc(t.title)}</h2><table data-table="${t.name}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody>${foot}</table>`;
}

function showbackBars(r: Report): Bar[] {
  const label = (labels: Record<string, string>) =>
    r.by.map((l) => labels[l] || '—').join(' · ') || 'Total';
  const bars: Bar[] = r.showback
    .slice(0, TOP_BARS)
    .map((s) => ({ label: label(s.labels), values: [s.llm, s.vectordb] }));
  const rest = r.showback.slice(TOP_BARS);
  if (rest.length > 0) {
    bars.push({
      label: `${rest.length} more`,
      values: [rest.reduce((a, s) => a + s.llm, 0), rest.reduce((a, s) => a + s.vectordb, 0)],
    });
  }
  return bars;
}

function card(key: string, value: string, id: string): string {
  return `<div class="card"><div class="k">${esc(key)}</div><div class="v" id="${id}">${esc(value)}</div></div>`;
}

/** One self-contained page: inline CSS, JS and SVG; no request leaves it (CSP forbids any). */
export function renderHtml(r: Report): string {
  const d = r.decimals;
  const fmt = (units: number) => dollars(Math.round(units), d);
  const tick = (units: number) =>
    `$${(units / 10 ** d).toLocaleString('en-US', { maximumFractionDigits: d })}`;
  const cards = [
    card('Total', dollars(r.totals.total, d), 'total'),
    card('LLM', dollars(r.totals.llm, d), 'total-llm'),
    card('Vector DB', dollars(r.totals.vectordb, d), 'total-vectordb'),
  ];
  if (r.chargeback) {
    cards.push(card('Charged, with markups', dollars(r.chargeback.totals.total, d), 'charged'));
  }
  const parts = [
    `<h1>${esc(r.title)}</h1>`,
    `<p class="meta">Period <b>${esc(r.period.label)}</b>: ${esc(periodText(r))} · from ${esc(r.prometheusUrl)} · generated ${esc(r.generatedAt)}</p>`,
    `<div class="cards">${cards.join('')}</div>`,
    `<h2>Spend by ${esc(r.by.join(', ') || 'total')}</h2>`,
    horizontalBars('chart-showback', showbackBars(r), SOURCES, fmt, tick),
  ];
  if (r.daily.length > 0) {
    parts.push(
      `<h2>Spend per day</h2>`,
      columns(
        'chart-daily',
        r.daily.map((x) => ({ label: x.day, values: [x.llm, x.vectordb] })),
        SOURCES,
        fmt,
        tick,
      ),
    );
  }
  if (r.chargeback) {
    parts.push(
      `<h2>Chargeback by ${esc(r.chargeback.payer)}</h2>`,
      horizontalBars(
        'chart-chargeback',
        r.chargeback.rows.map((c) => ({ label: c.payer, values: [c.direct, c.shared, c.markup] })),
        CHARGE,
        fmt,
        tick,
      ),
    );
  }
  parts.push(tableHtml(showbackTable(r), d));
  const cb = chargebackTable(r);
  if (cb)
    parts.push(
      `<p class="meta">Rules: <code>${esc(r.chargeback?.rulesFile ?? '')}</code></p>`,
      tableHtml(cb, d),
    );
  const al = allocationsTable(r);
  if (al && al.rows.length > 0) parts.push(tableHtml(al, d));
  if (r.daily.length > 0) parts.push(tableHtml(dailyTable(r), d));
  if (r.notes.length > 0) {
    parts.push(
      `<h2>Notes</h2><ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    );
  }
  const q = queriesTable(r);
  parts.push(
    `<h2>${esc(q.title)}</h2><details id="queries"><summary>${r.queries.length} PromQL queries; each row's ids point here</summary>${r.queries
      .map(
        (x) =>
          `<div id="${x.id}"><b>${x.id}</b> ${esc(x.purpose)} <span class="meta">(${x.kind}${x.time ? ` at ${esc(x.time)}` : ` ${esc(x.start ?? '')} to ${esc(x.end ?? '')} every ${x.stepSeconds} s`}, ${x.rows} rows)</span><pre>${esc(x.promql)}</pre></div>`,
      )
      .join('')}</details>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title><style>${CSS}</style></head>
<body>${parts.join('\n')}
<script>${JS}</script></body></html>
`;
}
