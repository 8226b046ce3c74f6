import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/harness/index.ts';
import { COMMANDS } from './cli.ts';
import { runCli } from './test-support/run-cli.ts';

const dir = makeTempDir('finance-cli');
afterAll(() => removeTempDir(dir));

const cli = (...argv: string[]) => runCli(argv);

describe('burnrate CLI', () => {
  it('lists its commands; unknown ones are usage errors', async () => {
    expect(Object.keys(COMMANDS)).toContain('report');
    const help = await cli('--help');
    expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/report +showback/)]);
    expect((await cli()).code).toBe(2);
    const bad = await cli('forecats');
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown command "forecats"/),
    ]);
    expect((await cli('report', '--help')).stdout).toMatch(/--period <p>/);
  });

  it('bad flags: exit 2 with one message naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--by', 'squad'], /--by: unknown "squad"/],
      [['--period', 'feb'], /--period: expected month/],
      [['--format', 'xlsx'], /--format: expected md, csv, json, html/],
      [['--output', 'r.pdf'], /--output: cannot tell the format/],
      [['--table', 'daily'], /--table goes with --format csv/],
      [['--decimals', '9'], /--decimals: expected 0 to 6/],
      [['--timezone', 'Mars/Base'], /unknown time zone/],
      [['--prometheus', 'ftp://x'], /--prometheus \(or BURNRATE_PROMETHEUS_URL\)/],
      [['--prometheus-timeout', '0'], /--prometheus-timeout/],
      [['--check'], /--check needs --rules/],
      [['--nope'], /Unknown option '--nope'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('report', ...args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
  });

  it('checks a rules file: ok, or file:line:column: field', async () => {
    writeFileSync(
      join(dir, 'good.yaml'),
      'shared:\n  - { name: p, selector: { team: platform }, split: usage }\n',
    );
    writeFileSync(join(dir, 'bad.yaml'), 'markup:\n  default: ten\n');
    const ok = await cli('report', '--rules', join(dir, 'good.yaml'), '--check');
    expect([ok.code, ok.stdout]).toEqual([
      0,
      expect.stringMatching(/ok, 1 shared pools, payer team/),
    ]);
    const bad = await cli('report', '--rules', join(dir, 'bad.yaml'), '--check');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `${join(dir, 'bad.yaml')}:2:3: markup.default: expected a percentage like 10%`,
    );
    const missing = await cli('report', '--rules', join(dir, 'none.yaml'), '--check');
    expect([missing.code, missing.stderr]).toEqual([
      1,
      expect.stringMatching(/cannot read the file \(ENOENT\)/),
    ]);
  });

  it('an unreachable Prometheus fails with exit 1 and says where it looked', async () => {
    const r = await cli('report', '--prometheus', 'http://127.0.0.1:9', '--period', '2025-02');
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(/Prometheus at http:\/\/127\.0\.0\.1:9 unreachable/),
    ]);
  });
});
