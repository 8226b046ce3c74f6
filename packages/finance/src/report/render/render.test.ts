import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../test-support/browser.ts';
import { AWKWARD, sampleReport } from '../../test-support/sample-report.ts';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';

const report = sampleReport();

describe('report formats', () => {
  it('CSV: one header, CRLF, quoted where needed, formulas defused, rows add up', () => {
    const text = renderCsv(report, 'showback') ?? '';
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'period',
      'period_start',
      'period_end',
      'time_zone',
      'team',
      'llm_usd',
      'vectordb_usd',
      'total_usd',
      'share_pct',
      'queries',
    ]);
    expect(rows.map((r) => r[4]).slice(0, 4)).toEqual([
      AWKWARD[0],
      `'${AWKWARD[1]}`,
      AWKWARD[2],
      AWKWARD[3],
    ]);
    const cents = rows.reduce((a, r) => a + Math.round(Number(r[7]) * 100), 0);
    expect(cents).toBe(report.totals.total);
    expect(renderCsv({ ...report, chargeback: null }, 'allocations')).toBe(null);
    const [qh, q1] = parseCsv(renderCsv(report, 'queries') ?? '');
    expect(qh.slice(4, 8)).toEqual(['id', 'purpose', 'kind', 'promql']);
    expect(q1[7]).toBe('sum by (team) (x{a="<b>"})');
  });

  it('JSON: dollars, cent-exact', () => {
    const json = JSON.parse(renderJson(report));
    expect(json.totals.total_usd).toBe(report.totals.total / 100);
    expect(json.chargeback.totals.total_usd).toBe(
      report.chargeback?.totals.total ? report.chargeback.totals.total / 100 : 0,
    );
    expect(json.showback[0]).toMatchObject({ labels: { team: AWKWARD[0] }, queries: ['q1', 'q2'] });
  });

  it('Markdown: escaped cells, footnote links to the queries', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| pipe \\| star \\* |');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('[q2](#q2)');
    expect(md).toContain('<a id="q2"></a>**q2**');
    expect(md).toContain('(to date)');
  });

  it('HTML: self-contained, escaped, one script of its own', () => {
    const html = renderHtml(report);
    expect(html).not.toContain('<script>alert');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html.match(/<g class="bar"/g)?.length).toBe(
      16 + 3 + (report.chargeback?.rows.length ?? 0),
    );
  });
});
