import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../../../test/harness/index.ts';
import { runCli } from '../../test-support/run-cli.ts';
import { ledgerRow, openAiCalls } from '../fixtures/ledger-rows.ts';

const dir = makeTempDir('reprice');
afterAll(() => removeTempDir(dir));

const run = (...argv: string[]) => runCli(argv, 0);

const ledger = join(dir, 'ledger');
mkdirSync(ledger);
const rows = [
  ...openAiCalls(),
  {
    provider: 'openai',
    time: '2025-03-01T17:00:00Z',
    model: 'mystery-model-1',
    input: 1_000,
    output: 100,
    prices: null,
  },
  {
    provider: 'openai',
    time: '2025-03-01T18:00:00Z',
    model: 'gpt-4o-2024-08-06',
    input: 9_000,
    output: 900,
    prices: null,
    costSource: 'refused' as const,
  },
  {
    provider: 'openai',
    time: '2025-03-03T09:00:00Z',
    model: 'gpt-4o-2024-08-06',
    input: 1_000_000,
    output: 0,
    prices: { input: 2.5, output: 10 },
  },
].map(ledgerRow);
writeFileSync(join(ledger, 'ledger.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

const prices = join(dir, 'prices.yaml');
writeFileSync(
  prices,
  'version: 1\nmodels:\n  - provider: openai\n    model: gpt-4o\n    input_per_mtok: 2.00\n    cache_read_per_mtok: 1.00\n    output_per_mtok: 8.00\n',
);

describe('burnrate reprice', () => {
  it("re-prices the period's calls from their tokens with the prices file over the catalog", async () => {
    const r = await run(
      'reprice',
      '--prices',
      prices,
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-03',
      '--ledger-dir',
      ledger,
      '--format',
      'json',
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    const json = JSON.parse(r.stdout);
    expect(json.lines).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        calls: 3,
        ledger_usd: 8.25,
        ledger_unpriced_calls: 0,
        repriced_usd: 6.6,
        repriced_unpriced_calls: 0,
        diff_usd: -1.65,
      },
      {
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        calls: 1,
        ledger_usd: 0.6,
        ledger_unpriced_calls: 0,
        repriced_usd: 0.6,
        repriced_unpriced_calls: 0,
        diff_usd: 0,
      },
      {
        provider: 'openai',
        model: 'mystery-model-1',
        calls: 1,
        ledger_usd: 0,
        ledger_unpriced_calls: 1,
        repriced_usd: 0,
        repriced_unpriced_calls: 1,
        diff_usd: 0,
      },
    ]);
    expect([json.ledger_usd, json.repriced_usd]).toEqual([8.85, 7.2]);
    const text = await run(
      'reprice',
      '--prices',
      prices,
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-03',
      '--ledger-dir',
      ledger,
    );
    expect(text.stdout).toContain('$8.85 in the ledger, $7.20 re-priced (-$1.65)');
    expect(text.stdout).toMatch(
      /openai +gpt-4o-2024-08-06 +3 +\$8\.25 +0 +\$6\.60 +0 +-\$1\.65 +-20\.0/,
    );
  });

  it('a bad prices file: exit 1 naming file, line and field; bad flags: exit 2', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\nmodels:\n  - provider: openai\n    model: gpt-4o\n    input_per_mtok: cheap\n',
    );
    const r = await run(
      'reprice',
      '--prices',
      bad,
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-03',
      '--ledger-dir',
      ledger,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml.*5.*input_per_mtok/);
    const usage = await run(
      'reprice',
      '--prices',
      prices,
      '--from',
      '2025-03-01',
      '--ledger-dir',
      ledger,
    );
    expect([usage.code, usage.stderr]).toEqual([
      2,
      expect.stringMatching(/--to <YYYY-MM-DD> is required/),
    ]);
  });
});
