// The HTML page in a real headless browser (Debian's chromium, driven by playwright-core), for a
// report with more rows than the chart shows and label values that try to break out of the page.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../../../test/harness/index.ts';
import { launch, readPage } from '../../test-support/browser.ts';
import { checkPageAgainstCsv } from '../../test-support/page-check.ts';
import { AWKWARD, sampleReport } from '../../test-support/sample-report.ts';
import { writeAll } from '../command.ts';
import { TOP_BARS } from './html.ts';

const dir = makeTempDir('finance-html');
afterAll(() => removeTempDir(dir));

describe('the report page in chromium', () => {
  it('renders offline with charts of the right size, the CSV numbers, escaped labels', async () => {
    const report = sampleReport();
    writeAll(report, dir);
    await checkPageAgainstCsv(dir);
    const browser = await launch();
    try {
      const page = await readPage(browser, join(dir, 'report.html'));
      expect(page.charts['chart-showback']).toHaveLength(TOP_BARS + 1);
      expect(page.charts['chart-showback'].at(-1)?.label).toBe(
        `${report.showback.length - TOP_BARS} more`,
      );
      expect(page.tables.showback.map((r) => r[0]).slice(0, 4)).toEqual(AWKWARD);
      expect(page.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
