import pg from 'pg';
import { ExportError } from '../types.ts';
import { type LedgerQuery, type LedgerRow, ledgerRow } from './row.ts';

/** The ledger table in PostgreSQL: the period's LLM rows, each as JSON (the JSONL sink's shape). */
export async function readLedgerPostgres(url: string, q: LedgerQuery): Promise<LedgerRow[]> {
  const client = new pg.Client({ connectionString: url });
  const where = url.replace(/\/\/[^@/]*@/, '//');
  try {
    await client.connect();
  } catch (err) {
    throw new ExportError(
      where,
      null,
      '--ledger-url',
      `cannot connect (${(err as Error).message})`,
    );
  }
  try {
    await client.query(`SET TIME ZONE 'UTC'`);
    const res = await client.query<{ j: Record<string, unknown> }>(
      `SELECT row_to_json(l) AS j FROM burnrate_ledger l
        WHERE time >= $1 AND time < $2 AND provider IS NOT NULL
          AND ($3::text[] IS NULL OR provider = ANY($3))`,
      [
        new Date(q.from).toISOString(),
        new Date(q.to).toISOString(),
        q.providers && [...q.providers],
      ],
    );
    return res.rows.map((r, i) => ledgerRow(r.j, `${where} burnrate_ledger`, i + 1));
  } catch (err) {
    if (err instanceof ExportError) throw err;
    throw new ExportError(where, null, 'burnrate_ledger', (err as Error).message);
  } finally {
    await client.end();
  }
}
