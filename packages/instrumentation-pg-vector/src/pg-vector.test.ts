import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_TEAM,
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  withAttribution,
} from '@burnrate/core';
import pgvector from 'pgvector/pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS, connectionConfig, useHarness } from './test-setup.ts';

const h = useHarness();
const v = (xs: number[]) => pgvector.toSql(xs) as string;

describe.each(CLIENTS)('pg $version with pgvector', ({ version, pg }) => {
  const table = `items_v${version.replace('.', '_')}`;
  let client: InstanceType<typeof pg.Client>;

  beforeAll(async () => {
    client = new pg.Client(connectionConfig(h));
    await client.connect();
    await client.query(
      `CREATE TABLE ${table} (id bigint PRIMARY KEY, label text, embedding vector(3))`,
    );
    await client.query(`CREATE INDEX ON ${table} USING hnsw (embedding vector_cosine_ops)`);
    h.tracing.reset();
  });
  afterAll(async () => {
    await client.end();
  });

  it('records a multi-row vector insert with the rows written, and no vectors or text', async () => {
    const res = await client.query(
      `INSERT INTO ${table} (id, label, embedding) VALUES (1, $1, $2), (2, $3, $4), (3, $5, $6), (4, $7, $8)`,
      [
        'secret one',
        v([1, 0, 0]),
        'secret two',
        v([0, 1, 0]),
        'secret three',
        v([0, 0, 1]),
        'four',
        v([1, 1, 0]),
      ],
    );
    expect(res.rowCount).toBe(4);
    const [span] = h.tracing.spans();
    expect(span.name).toBe(`insert ${table}`);
    expect(span.attributes).toMatchObject({
      [ATTR_DB_SYSTEM_NAME]: 'postgresql',
      [ATTR_DB_OPERATION_NAME]: 'insert',
      [ATTR_DB_COLLECTION_NAME]: table,
      [ATTR_DB_NAMESPACE]: 'postgres',
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: h.port,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 4,
      [ATTR_BURNRATE_COST_SOURCE]: 'unpriced',
    });
    expect(span.attributes[ATTR_BURNRATE_COST_USD]).toBeUndefined();
    const recorded = JSON.stringify(span.attributes);
    expect(recorded).not.toContain('secret');
    expect(recorded).not.toContain('[1,0,0]');
  });

  it('records a similarity search with top_k and the rows returned; rows are unchanged', async () => {
    const sql = `SELECT id, label FROM ${table} ORDER BY embedding <=> $1 LIMIT 3`;
    const traced = await client.query(sql, [v([1, 0.1, 0])]);
    expect(traced.rows.map((r) => r.id)).toEqual(['1', '4', '2']);
    const [span] = h.tracing.spans();
    expect(span.name).toBe(`vector_search ${table}`);
    expect(span.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'vector_search',
      [ATTR_DB_COLLECTION_NAME]: table,
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 3,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 3,
      [ATTR_BURNRATE_COST_SOURCE]: 'unpriced',
    });
    h.instrumentation.disable();
    try {
      const plain = await client.query(sql, [v([1, 0.1, 0])]);
      expect(plain.rows).toEqual(traced.rows);
    } finally {
      h.instrumentation.enable();
    }
    expect(h.tracing.spans()).toHaveLength(1);
  });

  it.each([
    ['<->', 'L2'],
    ['<#>', 'inner product'],
    ['<+>', 'L1'],
  ])('records %s (%s) searches, with a parameter LIMIT', async (op) => {
    const res = await client.query(
      `SELECT id FROM ${table} ORDER BY embedding ${op} $1::vector LIMIT $2`,
      ['[0,1,0]', 2],
    );
    expect(res.rows).toHaveLength(2);
    const [span] = h.tracing.spans();
    expect(span.attributes[ATTR_DB_OPERATION_NAME]).toBe('vector_search');
    expect(span.attributes[ATTR_BURNRATE_VECTORDB_TOP_K]).toBe(2);
    expect(span.attributes[ATTR_BURNRATE_VECTORDB_VECTORS]).toBe(2);
  });

  it('records an upsert and an update of vectors', async () => {
    await client.query({
      text: `INSERT INTO ${table} (id, embedding) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding`,
      values: [v([1, 0, 0.5])],
    });
    const up = await client.query(`UPDATE ${table} SET embedding = $1 WHERE id IN (2, 3)`, [
      v([0, 1, 1]),
    ]);
    expect(up.rowCount).toBe(2);
    const [upsert, update] = h.tracing.spans();
    expect(upsert.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'upsert',
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 1,
    });
    expect(update.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'update',
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 2,
    });
  });

  it('does not trace plain SQL', async () => {
    await client.query(`SELECT count(*) FROM ${table}`);
    await client.query(`UPDATE ${table} SET label = $1 WHERE id = 4`, ['[not a vector]']);
    await client.query("SELECT '<->' AS op, $1::text AS t", ['a <=> b']);
    await client.query('SELECT 1 -- ORDER BY embedding <-> $1');
    expect(h.tracing.spans()).toHaveLength(0);
  });

  it('traces the callback form and passes the same result to the callback', async () => {
    const result = await new Promise<unknown>((resolve, reject) => {
      client.query(
        `SELECT id FROM ${table} ORDER BY embedding <-> $1 LIMIT 1`,
        [v([1, 1, 0])],
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
    expect((result as { rows: unknown[] }).rows).toEqual([{ id: '4' }]);
    const [span] = h.tracing.spans();
    expect(span.attributes).toMatchObject({
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 1,
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 1,
    });
  });

  it('traces a submitted pg.Query, counting the rows it streams', async () => {
    const query = new pg.Query(`SELECT id FROM ${table} ORDER BY embedding <=> $1 LIMIT 2`, [
      v([1, 1, 1]),
    ]);
    const rows: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      query.on('row', (row: unknown) => rows.push(row));
      query.on('end', () => resolve());
      query.on('error', reject);
      client.query(query);
    });
    expect(rows).toHaveLength(2);
    const [span] = h.tracing.spans();
    expect(span.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'vector_search',
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 2,
    });
  });

  it('keeps the caller’s attribution through a pool', async () => {
    const pool = new pg.Pool({ ...connectionConfig(h), max: 2 });
    try {
      const [a, b] = await Promise.all([
        withAttribution({ team: 'search' }, () =>
          pool.query(`SELECT id FROM ${table} ORDER BY embedding <-> $1 LIMIT 1`, [v([1, 0, 0])]),
        ),
        withAttribution({ team: 'ranking' }, () =>
          pool.query(`SELECT id FROM ${table} ORDER BY embedding <-> $1 LIMIT 2`, [v([1, 0, 0])]),
        ),
      ]);
      expect(a.rows).toHaveLength(1);
      expect(b.rows).toHaveLength(2);
    } finally {
      await pool.end();
    }
    const byTeam = Object.fromEntries(
      h.tracing
        .spans()
        .map((s) => [s.attributes[ATTR_BURNRATE_TEAM], s.attributes[ATTR_BURNRATE_VECTORDB_TOP_K]]),
    );
    expect(byTeam).toEqual({ search: 1, ranking: 2 });
  });

  it('passes a database error through unchanged and marks the span', async () => {
    const sql = 'SELECT id FROM missing_table ORDER BY embedding <-> $1 LIMIT 1';
    const traced = await client.query(sql, [v([1, 0, 0])]).catch((e: unknown) => e);
    h.instrumentation.disable();
    const plain = await client.query(sql, [v([1, 0, 0])]).catch((e: unknown) => e);
    h.instrumentation.enable();
    expect(traced).toBeInstanceOf(Error);
    expect((traced as Error).constructor).toBe((plain as Error).constructor);
    expect((traced as Error).message).toBe((plain as Error).message);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe((plain as Error).constructor.name);
    expect(span.attributes[ATTR_BURNRATE_COST_SOURCE]).toBeUndefined();
  });
});
