import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_PRICING_CATALOG,
  ATTR_BURNRATE_PRICING_MODEL,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  setPricer,
} from '@burnrate/core';
import { createPricer } from '@burnrate/pricing';
import { throwingPricer } from '@burnrate/test-utils';
import pg from 'pg';
import pgvector from 'pgvector/pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfig, useHarness } from './test-setup.ts';

const h = useHarness();
const v = (xs: number[]) => pgvector.toSql(xs) as string;
let client: pg.Client;
let dir: string;

beforeAll(async () => {
  client = new pg.Client(connectionConfig(h));
  await client.connect();
  await client.query('CREATE TABLE docs (id int PRIMARY KEY, embedding vector(2))');
  dir = mkdtempSync(join(tmpdir(), 'burnrate-pgvector-'));
  h.tracing.reset();
});
afterAll(async () => {
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => setPricer(undefined));

describe('pgvector cost', () => {
  it('prices from the prices file: per operation for searches, per vector for inserts', async () => {
    const file = join(dir, 'prices.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'vector_databases:',
        '  - db_system: postgresql',
        '    operation: vector_search',
        '    per_operation: 0.0002',
        '  - db_system: postgresql',
        '    operation: insert',
        '    per_vector: 0.00001',
      ].join('\n'),
    );
    setPricer(createPricer({ pricesFile: file }));
    await client.query('INSERT INTO docs VALUES (1, $1), (2, $2), (3, $3)', [
      v([1, 0]),
      v([0, 1]),
      v([1, 1]),
    ]);
    await client.query('SELECT id FROM docs ORDER BY embedding <-> $1 LIMIT 2', [v([1, 0])]);
    const [insert, search] = h.tracing.spans();
    expect(insert.attributes[ATTR_BURNRATE_VECTORDB_VECTORS]).toBe(3);
    // 3 vectors x $0.00001 each
    expect(insert.attributes[ATTR_BURNRATE_COST_USD]).toBeCloseTo(0.00003, 12);
    expect(insert.attributes[ATTR_BURNRATE_PRICING_MODEL]).toBe('postgresql/insert');
    expect(insert.attributes[ATTR_BURNRATE_PRICING_CATALOG]).toBe(`prices-file:${file}`);
    expect(insert.attributes[ATTR_BURNRATE_COST_SOURCE]).toBe('usage');
    expect(search.attributes[ATTR_BURNRATE_COST_USD]).toBe(0.0002);
    expect(search.attributes[ATTR_BURNRATE_PRICING_MODEL]).toBe('postgresql/vector_search');
  });

  it('stays unpriced (no cost, never 0) without a price, but is still recorded', async () => {
    await client.query('SELECT id FROM docs ORDER BY embedding <=> $1 LIMIT 1', [v([0, 1])]);
    const [span] = h.tracing.spans();
    expect(span.attributes[ATTR_BURNRATE_COST_SOURCE]).toBe('unpriced');
    expect(span.attributes[ATTR_BURNRATE_COST_USD]).toBeUndefined();
  });
});

describe('pgvector fails open', () => {
  it('returns the same rows, and ends the span, when pricing throws', async () => {
    const sql = 'SELECT id FROM docs ORDER BY embedding <-> $1 LIMIT 3';
    const plain = await client.query(sql, [v([0, 1])]);
    setPricer(throwingPricer);
    const traced = await client.query(sql, [v([0, 1])]);
    const viaCallback = await new Promise<pg.QueryResult>((resolve, reject) =>
      client.query(sql, [v([0, 1])], (err, res) => (err ? reject(err) : resolve(res))),
    );
    expect(traced.rows).toEqual(plain.rows);
    expect(viaCallback.rows).toEqual(plain.rows);
    expect(h.tracing.spans()).toHaveLength(3);
  });

  it('passes a synchronous TypeError for a null query through unchanged', () => {
    expect(() => client.query(null as unknown as string)).toThrow(TypeError);
    expect(h.tracing.spans()).toHaveLength(0);
  });

  it('does nothing after disable()', async () => {
    h.instrumentation.disable();
    try {
      await client.query('SELECT id FROM docs ORDER BY embedding <-> $1 LIMIT 1', [v([0, 1])]);
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});
