import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_PRICING_MODEL,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  setPricer,
} from '@burnrate/core';
import { createPricer } from '@burnrate/pricing';
import { throwingPricer } from '@burnrate/test-utils';
import type * as Lance from '@lancedb/lancedb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SDKS, useHarness } from './test-setup.ts';

const h = useHarness();
let pricesDir: string;
beforeAll(() => {
  pricesDir = mkdtempSync(join(tmpdir(), 'burnrate-lancedb-prices-'));
});
afterAll(() => rmSync(pricesDir, { recursive: true, force: true }));
afterEach(() => setPricer(undefined));

const data = Array.from({ length: 5 }, (_, i) => ({ id: i, vector: [i, 1] }));

describe('LanceDB cost', () => {
  it('prices from the prices file: per operation for searches, per vector for adds', async () => {
    const file = join(pricesDir, 'prices.yaml');
    writeFileSync(
      file,
      'version: 1\nvector_databases:\n  - db_system: lancedb\n    operation: search\n    per_operation: 0.0001\n  - db_system: lancedb\n    operation: add\n    per_vector: 0.000002\n',
    );
    setPricer(createPricer({ pricesFile: file }));
    const db = await SDKS[0].lancedb.connect(join(h.dir, 'priced'));
    const table = await db.createTable('t', data.slice(0, 1));
    await table.delete('id >= 0');
    h.tracing.reset();
    await table.add(data);
    await table.search([1, 1]).limit(2).toArray();
    const [add, search] = h.tracing
      .spans()
      .filter((s) => s.attributes[ATTR_DB_COLLECTION_NAME] === 't');
    expect(add.attributes[ATTR_BURNRATE_VECTORDB_VECTORS]).toBe(5);
    // 5 vectors x $0.000002
    expect(add.attributes[ATTR_BURNRATE_COST_USD]).toBeCloseTo(0.00001, 12);
    expect(add.attributes[ATTR_BURNRATE_PRICING_MODEL]).toBe('lancedb/add');
    expect(search.attributes[ATTR_BURNRATE_COST_USD]).toBe(0.0001);
    expect(search.attributes[ATTR_BURNRATE_COST_SOURCE]).toBe('usage');
  });
});

describe.each(SDKS)('LanceDB $version fails open', (sdk) => {
  it('returns the same rows when pricing throws, and spans still end', async () => {
    const db = await sdk.lancedb.connect(join(h.dir, `fail-open-${sdk.version}`));
    const table = await db.createTable('t', data);
    const plain = (await table.search([1, 1]).limit(3).toArray()).map((r) => r.id);
    setPricer(throwingPricer);
    const traced = (await table.search([1, 1]).limit(3).toArray()).map((r) => r.id);
    await table.add([{ id: 9, vector: [9, 1] }]);
    expect(traced).toEqual(plain);
    expect(await table.countRows()).toBe(6);
    expect(h.tracing.spans().map((s) => s.attributes[ATTR_DB_OPERATION_NAME])).toEqual([
      'search',
      'search',
      'add',
    ]);
  });

  it('keeps working with a search started while an add is in flight', async () => {
    const db = await sdk.lancedb.connect(join(h.dir, `concurrent-${sdk.version}`));
    const table = await db.createTable('c', data);
    h.tracing.reset();
    const [, found] = await Promise.all([
      table.add([{ id: 7, vector: [7, 1] }]),
      table.search([0, 1]).limit(1).toArray(),
    ]);
    expect(found).toHaveLength(1);
    expect(h.tracing.spans().every((s) => s.attributes[ATTR_DB_COLLECTION_NAME] === 'c')).toBe(
      true,
    );
  });
});

describe('the CommonJS copy', () => {
  it('is patched and traced like the ESM import', async () => {
    const cjs = createRequire(import.meta.url)('@lancedb/lancedb') as typeof Lance;
    h.instrumentation.patchExports('@lancedb/lancedb', cjs);
    const db = await cjs.connect(join(h.dir, 'cjs'));
    const table = await db.createTable('cjs_table', data);
    await table.vectorSearch([1, 1]).limit(2).toArray();
    const search = h.tracing.spans().find((s) => s.attributes[ATTR_DB_OPERATION_NAME] === 'search');
    expect(search?.attributes[ATTR_DB_COLLECTION_NAME]).toBe('cjs_table');
  });
});
