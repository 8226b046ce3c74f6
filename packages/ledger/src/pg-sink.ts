import pg from 'pg';
import { EVENT_COLUMNS } from './columns.ts';
import type { EventRow } from './otlp-logs.ts';

/** Rows per INSERT statement (50 parameters each, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 500;
const COLUMN_LIST = EVENT_COLUMNS.map(([n]) => n).join(', ');

/** A store error the sender should not retry: the data itself is wrong (SQLSTATE class 22). */
export class PermanentStoreError extends Error {}

export interface RowSink {
  /** Stores the rows durably (or they were stored before); resolves after they are. */
  write(rows: EventRow[]): Promise<{ inserted: number }>;
  close(): Promise<void>;
}

function insertStatement(rows: EventRow[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const refs = EVENT_COLUMNS.map(([name]) => {
      values.push(row[name]);
      return `$${values.length}`;
    });
    return `(${refs.join(', ')})`;
  });
  return {
    text: `INSERT INTO burnrate_ledger (${COLUMN_LIST}) VALUES ${tuples.join(', ')} ON CONFLICT (trace_id, span_id) DO NOTHING`,
    values,
  };
}

/**
 * PostgreSQL: one transaction per request, `INSERT … ON CONFLICT (trace_id, span_id) DO NOTHING`,
 * so a re-sent batch adds nothing. write() resolves only after COMMIT.
 */
export class PostgresSink implements RowSink {
  readonly #pool: pg.Pool;
  constructor(databaseUrl: string, poolSize = 4) {
    this.#pool = new pg.Pool({
      connectionString: databaseUrl,
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client's connection dropping (the database restarting) must not crash the writer.
    this.#pool.on('error', () => undefined);
  }

  async write(rows: EventRow[]): Promise<{ inserted: number }> {
    if (rows.length === 0) return { inserted: 0 };
    const client = await this.#pool.connect();
    // The connection dropping mid-transaction surfaces as the query's error, never as a crash.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken = false;
    try {
      await client.query('BEGIN');
      let inserted = 0;
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const res = await client.query(insertStatement(rows.slice(i, i + ROWS_PER_STATEMENT)));
        inserted += res.rowCount ?? 0;
      }
      await client.query('COMMIT');
      return { inserted };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('22'))
        throw new PermanentStoreError(`PostgreSQL refused the rows: ${(error as Error).message}`);
      throw error;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
