import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../../test/harness/index.ts';
import { ALL_EXPORTS, OPENAI_EXPORTS, rowsOf, SCENARIOS } from './fixtures/scenarios.ts';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const dir = makeTempDir('reconcile-cli');
afterAll(() => removeTempDir(dir));

/** `node --conditions=@burnrate/source packages/finance/src/cli.ts reconcile …`, as a user runs it. */
function burnrate(...args: string[]) {
  return spawnSync(process.execPath, ['--conditions=@burnrate/source', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, BURNRATE_LEDGER_URL: '' },
    timeout: 30_000,
  });
}

function ledger(name: string, rows: object[]): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'ledger.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return d;
}

describe('burnrate reconcile (the CLI, end to end)', () => {
  it('exact match: every line ok, exit 0', () => {
    const d = ledger('exact', rowsOf(SCENARIOS[0].calls));
    const r = burnrate('reconcile', ...ALL_EXPORTS, '--ledger-dir', d);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /2025-03-01 +aws\.bedrock +us\.anthropic\.claude-3-5-sonnet-20240620-v1:0 +1 +1800000 +1800000 +0 +\$6\.53 +\$6\.53 +\$0\.00 +0\.0 +ok/,
    );
    expect(r.stdout).toContain('All 7 lines within tolerance $0.01 and 0%.');
  });

  it('a service without Burnrate: exit 3, the Markdown file names the cause', () => {
    const d = ledger('missing', rowsOf(SCENARIOS[1].calls));
    const out = join(dir, 'reconcile.md');
    const r = burnrate('reconcile', ...OPENAI_EXPORTS, '--ledger-dir', d, '--output', out);
    expect([r.status, r.stdout, r.stderr]).toEqual([3, '', `wrote ${out}\n`]);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain(
      '| 2025-03-01 | openai | gpt-4o-2024-08-06 | 1 | 900000 | 1500000 | -600000 | $3.50 | $5.75 | -$2.25 | -39.1 | OVER |',
    );
    expect(md).toContain(
      "calls outside instrumented services: openai counted 600000 more tokens than the ledger's 1 call from checkout",
    );
  });

  it('usage errors exit 2; a bad export exits 1 naming file, line and field', () => {
    const usage = burnrate('reconcile', '--openai');
    expect([usage.status, usage.stderr]).toEqual([
      2,
      expect.stringMatching(/--openai <value>' argument missing/),
    ]);
    const bad = join(dir, 'bad-costs.json');
    writeFileSync(bad, '{"data": [{"start_time": "yesterday", "results": []}]}');
    const r = burnrate('reconcile', '--openai', bad, '--ledger-dir', dir);
    expect([r.status, r.stderr]).toEqual([
      1,
      `burnrate reconcile: ${bad}:1: data[0].start_time: expected a number, got "yesterday"\n`,
    ]);
    const help = burnrate('--help');
    expect(help.stdout).toMatch(
      /reconcile +the ledger against the providers' usage and cost exports/,
    );
  });
});
