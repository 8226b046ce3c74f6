import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli.ts';
import { runCli } from '../../test-support/run-cli.ts';
import { check, type JsonLine, OPENAI_EXPORTS, rowsOf, SCENARIOS } from '../fixtures/scenarios.ts';

const MIGRATION = new URL('../../../../ledger/migrations/0001_ledger.sql', import.meta.url);

/** A real PostgreSQL (PGlite over its socket server) with the ledger's migration applied. */
let db: PGlite;
let server: PGLiteSocketServer;
let url: string;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(readFileSync(MIGRATION, 'utf8'));
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  url = `postgres://postgres@${server.getServerConn()}/postgres`;
});

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

async function seed(rows: object[]): Promise<void> {
  await db.exec('TRUNCATE burnrate_ledger');
  for (const r of rows) {
    await db.query(
      'INSERT INTO burnrate_ledger SELECT * FROM json_populate_record(NULL::burnrate_ledger, $1)',
      [JSON.stringify(r)],
    );
  }
}

const run = (argv: string[]) => runCli(argv);

describe('burnrate reconcile, ledger in PostgreSQL', () => {
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      await seed(rowsOf(s.calls));
      const r = await run([
        'reconcile',
        ...s.exports,
        '--ledger-url',
        url,
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

  it('rows outside the period are not read; the URL comes from BURNRATE_LEDGER_URL too', async () => {
    const s = SCENARIOS[0];
    await seed(rowsOf([...s.calls, { ...s.calls[0], time: '2025-03-03T00:00:00Z' }]));
    let stdout = '';
    const code = await main(['reconcile', ...s.exports, '--format', 'json'], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      env: { BURNRATE_LEDGER_URL: url },
      now: () => 0,
    });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { lines: JsonLine[] }).lines).toHaveLength(7);
  });

  it('the CLI as a user runs it, against the database: exit 3 and the cause', async () => {
    const s = SCENARIOS[3];
    await seed(rowsOf(s.calls));
    const cli = fileURLToPath(new URL('../../cli.ts', import.meta.url));
    const argv = [
      '--conditions=@burnrate/source',
      cli,
      'reconcile',
      ...s.exports,
      '--ledger-url',
      url,
    ];
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, argv, { timeout: 30_000 }, (err, stdout) => {
        resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout });
      });
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /2025-03-01 +openai +gpt-4o-mini-2024-07-18 +1 +2500000 +2500000 +0 +\$0\.00 +\$0\.60 +-\$0\.60 +-100\.0 +OVER/,
    );
    expect(r.stdout).toContain(
      'unpriced: 1 call with cost_source unpriced (2500000 tokens) without dollars in the ledger, about $0.60',
    );
  });

  it('an unreachable database: exit 1 naming the flag', async () => {
    const r = await run([
      'reconcile',
      ...OPENAI_EXPORTS,
      '--ledger-url',
      'postgres://postgres@127.0.0.1:1/postgres',
    ]);
    expect([r.code, r.stderr]).toEqual([
      1,
      expect.stringMatching(
        /^burnrate reconcile: postgres:\/\/127\.0\.0\.1:1\/postgres: --ledger-url: cannot connect/,
      ),
    ]);
  });
});
