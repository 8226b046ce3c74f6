import { join } from 'node:path';
import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  withAttribution,
} from '@burnrate/core';
import type { Connection, Table } from '@lancedb/lancedb';
import { beforeAll, describe, expect, it } from 'vitest';
import { SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const rows = Array.from({ length: 12 }, (_, i) => ({
  id: i,
  text: `secret document ${i}`,
  vector: [Math.cos(i / 3), Math.sin(i / 3), i / 100],
}));

function spans(operation?: string) {
  return h.tracing
    .spans()
    .filter((s) => !operation || s.attributes[ATTR_DB_OPERATION_NAME] === operation);
}

describe.each(SDKS)('@lancedb/lancedb $version, in-process', (sdk) => {
  let db: Connection;
  let table: Table;
  const name = `docs_${sdk.version.replace('.', '_')}`;

  beforeAll(async () => {
    db = await sdk.lancedb.connect(join(h.dir, sdk.version));
    table = await db.createTable(name, rows.slice(0, 2));
    h.tracing.reset();
  });

  it('records add with the rows written, never the vectors or text', async () => {
    await table.add(rows.slice(2));
    expect(await table.countRows()).toBe(12);
    const [span] = spans();
    expect(span.name).toBe(`add ${name}`);
    expect(span.attributes).toMatchObject({
      [ATTR_DB_SYSTEM_NAME]: 'lancedb',
      [ATTR_DB_OPERATION_NAME]: 'add',
      [ATTR_DB_COLLECTION_NAME]: name,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 10,
      [ATTR_BURNRATE_COST_SOURCE]: 'unpriced',
    });
    expect(span.attributes[ATTR_BURNRATE_COST_USD]).toBeUndefined();
    expect(span.attributes[ATTR_SERVER_ADDRESS]).toBeUndefined();
    expect(JSON.stringify(span.attributes)).not.toContain('secret');
    expect(spans()).toHaveLength(1);
  });

  it('records a vector search with top_k and the rows returned; results unchanged', async () => {
    const summary = (rs: { id: number; _distance: number }[]) => rs.map((r) => [r.id, r._distance]);
    const traced = summary(await table.search([1, 0, 0]).limit(3).toArray());
    expect(traced.map(([id]) => id)).toEqual([0, 1, 2]);
    const [span] = spans();
    expect(span.name).toBe(`search ${name}`);
    expect(span.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'search',
      [ATTR_DB_COLLECTION_NAME]: name,
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 3,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 3,
    });
    h.instrumentation.disable();
    try {
      const plain = summary(await table.search([1, 0, 0]).limit(3).toArray());
      expect(plain).toEqual(traced);
    } finally {
      h.instrumentation.enable();
    }
    expect(spans()).toHaveLength(1);
  });

  it('uses LanceDB’s default limit (10) as top_k when none is set', async () => {
    const res = await table.vectorSearch([0, 1, 0]).toArray();
    expect(res).toHaveLength(10);
    expect(spans('search')[0].attributes).toMatchObject({
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 10,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 10,
    });
  });

  it('records query().nearestTo() and a plain filtered query', async () => {
    const near = await table.query().nearestTo([0, 1, 0]).limit(2).toArrow();
    const filtered = await table.query().where('id < 4').toArray();
    expect(near.numRows).toBe(2);
    expect(filtered).toHaveLength(4);
    const [search, query] = spans();
    expect(search.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'search',
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 2,
    });
    expect(query.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'query',
      [ATTR_DB_COLLECTION_NAME]: name,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 4,
    });
    expect(query.attributes[ATTR_BURNRATE_VECTORDB_TOP_K]).toBeUndefined();
  });

  it('keeps a builder and the one it branched into apart (each has its own state)', async () => {
    const base = table.query();
    const near = base.nearestTo([1, 0, 0]);
    base.limit(1);
    near.limit(2);
    expect(await near.toArray()).toHaveLength(2);
    expect(await base.toArray()).toHaveLength(1);
    // `nearestTo` made both searches; each keeps its own limit.
    const [branch, source] = spans();
    expect(branch.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'search',
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 2,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 2,
    });
    expect(source.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'search',
      [ATTR_DB_COLLECTION_NAME]: name,
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 1,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 1,
    });
  });

  it('records a streamed search once, counting the rows read, also on an early break', async () => {
    let read = 0;
    for await (const batch of table.search([1, 0, 0]).limit(5)) read += batch.numRows;
    expect(read).toBe(5);
    const stream = table.search([1, 0, 0]).limit(5)[Symbol.asyncIterator]();
    await stream.next();
    await stream.return?.(undefined);
    const [full, broken] = spans();
    expect(spans()).toHaveLength(2);
    expect(full.attributes[ATTR_BURNRATE_VECTORDB_VECTORS]).toBe(5);
    expect(broken.attributes[ATTR_DB_OPERATION_NAME]).toBe('search');
    expect(broken.ended).toBe(true);
  });

  it('records a full-text search as a search, with no default top_k', async () => {
    await table.createIndex('text', { config: sdk.lancedb.Index.fts() });
    h.tracing.reset();
    const fts = await table.query().fullTextSearch('document').limit(4).toArray();
    const noLimit = await table.search('document', 'fts').toArray();
    expect(fts).toHaveLength(4);
    expect(noLimit.length).toBeGreaterThan(0);
    const [limited, unlimited] = spans('search');
    expect(limited.attributes).toMatchObject({
      [ATTR_DB_COLLECTION_NAME]: name,
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 4,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 4,
    });
    expect(unlimited.attributes[ATTR_BURNRATE_VECTORDB_TOP_K]).toBeUndefined();
    expect(unlimited.attributes[ATTR_BURNRATE_VECTORDB_VECTORS]).toBe(noLimit.length);
    expect(JSON.stringify(limited.attributes)).not.toContain('document');
  });

  it('records update, delete and mergeInsert with the rows they touched', async () => {
    await table.update({ where: 'id = 1', values: { text: 'changed' } });
    await table.delete('id >= 10');
    await table
      .mergeInsert('id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([rows[0], { ...rows[10], id: 20 }]);
    expect(await table.countRows()).toBe(11);
    const byOp = Object.fromEntries(
      spans().map((s) => [
        s.attributes[ATTR_DB_OPERATION_NAME],
        s.attributes[ATTR_BURNRATE_VECTORDB_VECTORS],
      ]),
    );
    expect(byOp.merge_insert).toBe(2);
    expect(spans('merge_insert')[0].attributes[ATTR_DB_COLLECTION_NAME]).toBe(name);
    if (sdk.version === '0.39') {
      // 0.39 reports rows updated and deleted; older lines return no counts.
      expect(byOp).toMatchObject({ update: 1, delete: 2 });
    } else {
      expect(Object.keys(byOp)).toEqual(['update', 'delete', 'merge_insert']);
    }
  });

  it('attributes spans to the caller’s scope and passes errors through unchanged', async () => {
    await withAttribution({ team: 'rag' }, () => table.search([1, 0, 0]).limit(1).toArray());
    expect(spans('search')[0].attributes['burnrate.team']).toBe('rag');
    const traced = await table
      .query()
      .where('no_such_column > 1')
      .toArray()
      .catch((e: unknown) => e);
    h.instrumentation.disable();
    const plain = await table
      .query()
      .where('no_such_column > 1')
      .toArray()
      .catch((e: unknown) => e);
    h.instrumentation.enable();
    expect(traced).toBeInstanceOf(Error);
    expect((traced as Error).message).toBe((plain as Error).message);
    const failed = spans('query')[0];
    expect(failed.status.code).toBe(2);
  });
});
