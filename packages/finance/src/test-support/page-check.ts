// The report page against the CSV files written beside it: same rows, same numbers, charts
// with one bar per row, no console errors, no requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TOP_BARS } from '../report/render/html.ts';
import { launch, parseCsv, parseDollars, readPage } from './browser.ts';

const cents = (text: string) => Math.round(Number(text) * 100);
/** A CSV text cell as written (a defused formula loses its leading '). */
const shown = (text: string) => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text) || '—';
const pageCents = (text: string) => Math.round(parseDollars(text) * 100);

/** CSV rows as objects keyed by the header. */
function csv(dir: string, name: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

export async function checkPageAgainstCsv(dir: string): Promise<void> {
  const browser = await launch();
  try {
    const page = await readPage(browser, join(dir, 'report.html'));
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);

    // Showback: every cell equals the CSV's.
    const showback = csv(dir, 'showback');
    const by = Object.keys(showback[0]).slice(4, -5);
    expect(page.tables.showback).toHaveLength(showback.length);
    page.tables.showback.forEach((cells, i) => {
      const row = showback[i];
      expect(cells.slice(0, by.length)).toEqual(by.map((l) => shown(row[l])));
      const [llm, vdb, total, share, queries] = cells.slice(by.length);
      expect([pageCents(llm), pageCents(vdb), pageCents(total)]).toEqual([
        cents(row.llm_usd),
        cents(row.vectordb_usd),
        cents(row.total_usd),
      ]);
      expect(Math.abs(Number(share.replace('%', '')) - Number(row.share_pct))).toBeLessThan(0.051);
      expect(queries).toBe(row.queries);
    });
    const total = showback.reduce((a, r) => a + cents(r.total_usd), 0);
    expect(pageCents(page.cards.total)).toBe(total);
    expect(pageCents(page.footers.showback[by.length + 2])).toBe(total);

    // The showback chart: one bar per row (the rest folded into one), drawn to scale.
    const bars = page.charts['chart-showback'];
    expect(bars).toHaveLength(
      Math.min(showback.length, TOP_BARS) + (showback.length > TOP_BARS ? 1 : 0),
    );
    bars.slice(0, TOP_BARS).forEach((b, i) => {
      expect(b.units).toBe(cents(showback[i].total_usd));
      expect(b.size > 0).toBe(b.units > 0);
    });
    const widest = bars.reduce((a, b) => (b.units > a.units ? b : a));
    for (const b of bars) expect(b.size / widest.size).toBeCloseTo(b.units / widest.units, 2);

    // Daily spend: a column per CSV row, adding up to the total.
    const daily = csv(dir, 'daily');
    expect(page.charts['chart-daily'].map((b) => b.units)).toEqual(
      daily.map((d) => cents(d.total_usd)),
    );
    expect(page.tables.daily.map((r) => pageCents(r[3]))).toEqual(
      daily.map((d) => cents(d.total_usd)),
    );
    expect(daily.reduce((a, d) => a + cents(d.total_usd), 0)).toBe(total);

    // Chargeback and allocations equal their CSVs; the charged total is spend plus markups.
    const charge = csv(dir, 'chargeback');
    const payer = Object.keys(charge[0])[4];
    expect(
      page.tables.chargeback.map((r) => [r[0], ...[1, 2, 3, 5, 6].map((i) => pageCents(r[i]))]),
    ).toEqual(
      charge.map((c) => [
        shown(c[payer]),
        ...['direct_usd', 'shared_usd', 'subtotal_usd', 'markup_usd', 'total_usd'].map((k) =>
          cents(c[k]),
        ),
      ]),
    );
    expect(page.charts['chart-chargeback'].map((b) => b.units)).toEqual(
      charge.map((c) => cents(c.total_usd)),
    );
    const charged = charge.reduce((a, c) => a + cents(c.total_usd), 0);
    const markup = charge.reduce((a, c) => a + cents(c.markup_usd), 0);
    expect(pageCents(page.cards.charged)).toBe(charged);
    expect(charged).toBe(total + markup);
    const alloc = csv(dir, 'allocations');
    expect(page.tables.allocations.map((r) => [r[0], r[3], pageCents(r[5])])).toEqual(
      alloc.map((a) => [shown(a.pool), shown(a.receiver), cents(a.amount_usd)]),
    );

    // Sorting by Total (ascending) works.
    const sorted = page.sortedTotals.map(pageCents);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  } finally {
    await browser.close();
  }
}
