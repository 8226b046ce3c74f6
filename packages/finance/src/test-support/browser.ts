// Opens a report page in Debian's chromium (playwright-core drives it; playwright's own browser
// downloads are not used) and reads back what a person would see.
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.BURNRATE_CHROMIUM_BIN ?? '/usr/bin/chromium';

export interface PageReading {
  /** Console errors and warnings, uncaught exceptions. */
  errors: string[];
  /** Every request other than the page itself (all are refused). */
  requests: string[];
  /** Per table (data-table name): rows of cell texts. */
  tables: Record<string, string[][]>;
  /** Per table: the footer row's texts. */
  footers: Record<string, string[]>;
  /** Per chart id: the bars' labels, their units and the drawn width or height in pixels. */
  charts: Record<string, Array<{ label: string; units: number; size: number }>>;
  cards: Record<string, string>;
  /** The first column's texts of the showback table after clicking its Total header. */
  sortedTotals: string[];
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export async function readPage(browser: Browser, file: string): Promise<PageReading> {
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  const reading = await page.evaluate(() => {
    const text = (e: Element) => (e.textContent ?? '').trim();
    const tables: Record<string, string[][]> = {};
    const footers: Record<string, string[]> = {};
    for (const t of Array.from(document.querySelectorAll('table[data-table]'))) {
      const name = t.getAttribute('data-table') ?? '';
      tables[name] = Array.from(t.querySelectorAll('tbody tr')).map((r) =>
        Array.from(r.children).map(text),
      );
      footers[name] = Array.from(t.querySelectorAll('tfoot td')).map(text);
    }
    const charts: Record<string, Array<{ label: string; units: number; size: number }>> = {};
    for (const svg of Array.from(document.querySelectorAll('svg.chart'))) {
      const horizontal = svg.id !== 'chart-daily';
      charts[svg.id] = Array.from(svg.querySelectorAll('g.bar')).map((g) => {
        const segs = Array.from(g.querySelectorAll('rect.seg')) as SVGGraphicsElement[];
        const size = segs.reduce((a, s) => {
          const b = s.getBBox();
          return a + (horizontal ? b.width : b.height);
        }, 0);
        return {
          label: g.getAttribute('data-label') ?? '',
          units: Number(g.getAttribute('data-units')),
          size,
        };
      });
    }
    const cards: Record<string, string> = {};
    for (const c of Array.from(document.querySelectorAll('.card .v'))) cards[c.id] = text(c);
    return { tables, footers, charts, cards };
  });
  // Sorting works: click the showback table's Total header (ascending).
  const headers = page.locator('table[data-table="showback"] thead th');
  await headers.filter({ hasText: /^Total$/ }).click();
  const sortedTotals = await page.$$eval('table[data-table="showback"] tbody tr', (rows) =>
    rows.map((r) =>
      (r.querySelector('td[data-units]:nth-last-child(3)')?.textContent ?? '').trim(),
    ),
  );
  await context.close();
  return { ...reading, errors, requests, sortedTotals };
}

/** RFC 4180 CSV into rows of fields (header first). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** `$1,234.50` → 1234.5; `-$0.01` → -0.01. */
export function parseDollars(text: string): number {
  return Number(text.replace(/[$,]/g, ''));
}
