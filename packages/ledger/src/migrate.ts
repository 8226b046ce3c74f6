import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The package's migrations/ folder (beside src/ and dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Any fixed number: only one migrate runs at a time against a database. */
const LOCK_ID = 7_431_205_118;

export class MigrationError extends Error {}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

/**
 * Applies migrations/*.sql in name order, each in its own transaction with its row in
 * `burnrate_ledger_migrations` (name, sha256, applied_at); a migration already recorded is
 * skipped, so running it again changes nothing. A recorded migration whose file changed since is
 * an error naming the file (migrations are append-only: add 0002, never edit 0001).
 */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  const result: MigrateResult = { applied: [], skipped: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS burnrate_ledger_migrations (
         name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Map(
      (
        await client.query<{ name: string; sha256: string }>(
          'SELECT name, sha256 FROM burnrate_ledger_migrations',
        )
      ).rows.map((r) => [r.name, r.sha256]),
    );
    for (const file of files) {
      const sql = await readFile(join(dir, file), 'utf8');
      const sha = createHash('sha256').update(sql).digest('hex');
      const recorded = done.get(file);
      if (recorded !== undefined) {
        if (recorded !== sha)
          throw new MigrationError(
            `${join(dir, file)}: changed since it was applied (sha256 ${recorded.slice(0, 12)}… recorded); add a new migration instead`,
          );
        result.skipped.push(file);
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query(
          'INSERT INTO burnrate_ledger_migrations (name, sha256) VALUES ($1, $2)',
          [file, sha],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`${join(dir, file)}: ${(error as Error).message}`);
      }
      result.applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
  return result;
}
