import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../../test/harness/index.ts';
import { runCli } from '../test-support/run-cli.ts';
import { check, type JsonLine, OPENAI_EXPORTS, rowsOf, SCENARIOS } from './fixtures/scenarios.ts';

const dir = makeTempDir('reconcile-jsonl');
afterAll(() => removeTempDir(dir));

export const run = (argv: string[]) => runCli(argv);

/** The rows as the JSONL sink writes them, split over a plain and a gzipped file. */
function ledgerDir(name: string, rows: object[]): string {
  const d = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(d, { recursive: true });
  const lines = rows.map((r) => JSON.stringify(r));
  const half = Math.ceil(lines.length / 2);
  writeFileSync(join(d, 'ledger-2025-03-01.jsonl'), `${lines.slice(0, half).join('\n')}\n`);
  writeFileSync(
    join(d, 'ledger-2025-03-02.jsonl.gz'),
    gzipSync(`${lines.slice(half).join('\n')}\n`),
  );
  writeFileSync(join(d, 'README.txt'), 'not a ledger file');
  return d;
}

describe('burnrate reconcile, ledger from JSONL files', () => {
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const d = ledgerDir(s.name, rowsOf(s.calls));
      const r = await run([
        'reconcile',
        ...s.exports,
        '--ledger-dir',
        d,
        '--format',
        'json',
        ...(s.args ?? []),
      ]);
      expect(r.stderr).toBe('');
      const json = JSON.parse(r.stdout) as { lines: JsonLine[] };
      const expected = s.exports.length > OPENAI_EXPORTS.length ? 7 : 3;
      expect(check(s, r.code, json, expected)).toEqual([]);
    });
  }

  it('ledger and provider dollars side by side, to the cent', async () => {
    const d = ledgerDir('side-by-side', rowsOf(SCENARIOS[0].calls));
    const r = await run([
      'reconcile',
      ...SCENARIOS[0].exports,
      '--ledger-dir',
      d,
      '--format',
      'json',
    ]);
    const json = JSON.parse(r.stdout) as { from: string; to: string; lines: JsonLine[] };
    expect([json.from, json.to]).toEqual(['2025-03-01', '2025-03-03']);
    expect(
      json.lines.map(
        (l) => `${l.day} ${l.provider} ${l.model} ${l.ledger.usd} ${l.provider_export.usd}`,
      ),
    ).toEqual([
      '2025-03-01 anthropic claude-sonnet-4-20250514 2.63 2.63',
      '2025-03-01 aws.bedrock us.anthropic.claude-3-5-sonnet-20240620-v1:0 6.53 6.53',
      '2025-03-01 gcp.vertex_ai gemini-2.0-flash-001 0.2 0.2',
      '2025-03-01 openai gpt-4o-2024-08-06 5.75 5.75',
      '2025-03-01 openai gpt-4o-mini-2024-07-18 0.6 0.6',
      '2025-03-02 aws.bedrock anthropic.claude-3-5-sonnet-20240620-v1:0 1.5 1.5',
      '2025-03-02 openai gpt-4o-2024-08-06 2.5 2.5',
    ]);
  });

  it('text, Markdown and CSV', async () => {
    const s = SCENARIOS[1];
    const d = ledgerDir('formats', rowsOf(s.calls));
    const text = await run(['reconcile', ...s.exports, '--ledger-dir', d]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(
      /2025-03-01 +openai +gpt-4o-2024-08-06 +1 +900000 +1500000 +-600000 +\$3\.50 +\$5\.75 +-\$2\.25 +-39\.1 +OVER/,
    );
    expect(text.stdout).toMatch(/1 of 3 lines differ by more than tolerance \$0\.01 and 0%\./);
    const md = await run(['reconcile', ...s.exports, '--ledger-dir', d, '--format', 'md']);
    expect(md.stdout).toContain(
      '| 2025-03-01 | openai | gpt-4o-2024-08-06 | 1 | 900000 | 1500000 | -600000 | $3.50 | $5.75 | -$2.25 | -39.1 | OVER |',
    );
    expect(md.stdout).toMatch(
      /- \*\*2025-03-01 openai gpt-4o-2024-08-06\*\*: calls outside instrumented services/,
    );
    const csv = await run(['reconcile', ...s.exports, '--ledger-dir', d, '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'day,provider,model,ledger_calls,ledger_tokens,provider_tokens,diff_tokens,ledger_usd,provider_usd,diff_usd,diff_pct,status,causes',
    );
    expect(csv.stdout).toContain(
      '2025-03-01,openai,gpt-4o-2024-08-06,1,900000,1500000,-600000,3.50,5.75,-2.25,-39.1,OVER,',
    );
  });

  it('a bad ledger line: file, line and field; exit 1', async () => {
    const d = join(dir, 'bad-ledger');
    mkdirSync(d, { recursive: true });
    const rows = rowsOf(SCENARIOS[0].calls.slice(0, 2)).map((r) => JSON.stringify(r));
    rows[1] = rows[1].replace('"cost_usd":"2.25"', '"cost_usd":"two"');
    writeFileSync(join(d, 'a.jsonl'), `${rows.join('\n')}\n`);
    const r = await run(['reconcile', ...OPENAI_EXPORTS, '--ledger-dir', d]);
    expect([r.code, r.stderr]).toEqual([
      1,
      `burnrate reconcile: ${join(d, 'a.jsonl')}:2: cost_usd: expected a decimal string of dollars, got "two"\n`,
    ]);
  });

  it('bad usage: exit 2 naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--ledger-dir', dir], /give at least one export/],
      [
        [...OPENAI_EXPORTS],
        /--ledger-url <postgres:\/\/…> \(or BURNRATE_LEDGER_URL\) or --ledger-dir <dir> is required/,
      ],
      [
        [...OPENAI_EXPORTS, '--ledger-url', 'mysql://x'],
        /--ledger-url \(or BURNRATE_LEDGER_URL\): expected postgres/,
      ],
      [
        [...OPENAI_EXPORTS, '--ledger-dir', dir, '--tolerance-usd=-1'],
        /--tolerance-usd: expected a number >= 0, got "-1"/,
      ],
      [
        [...OPENAI_EXPORTS, '--ledger-dir', dir, '--from', '2025-3-1'],
        /--from: expected a day like 2025-03-01/,
      ],
      [
        [...OPENAI_EXPORTS, '--ledger-dir', dir, '--format', 'xlsx'],
        /--format: expected text, md, csv, json/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(['reconcile', ...args]);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
  });
});
