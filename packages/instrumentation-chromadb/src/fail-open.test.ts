import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setPricer } from '@burnrate/core';
import { createPricer } from '@burnrate/pricing';
import { throwingPricer } from '@burnrate/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { client, freshCollection, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const dir = mkdtempSync(path.join(tmpdir(), 'burnrate-chroma-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(SDKS)('chromadb $build: errors and fail-open', (sdk) => {
  it('passes a server error through unchanged (same class and message as without Burnrate)', async () => {
    const col = await freshCollection(sdk, h.server, 'gone');
    await client(sdk, h.server).deleteCollection({ name: col.name });
    h.tracing.reset();
    h.instrumentation.disable();
    const plain = await col
      .query({ queryEmbeddings: [[1, 0, 0]], nResults: 1 })
      .catch((e: unknown) => e);
    h.instrumentation.enable();
    const traced = await col
      .query({ queryEmbeddings: [[1, 0, 0]], nResults: 1 })
      .catch((e: unknown) => e);
    expect(traced).toBeInstanceOf(Error);
    expect((traced as Error).constructor).toBe((plain as Error).constructor);
    expect((traced as Error).message).toBe((plain as Error).message);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe((plain as Error).constructor.name);
  });

  it('returns the same result when pricing throws, and still ends the span', async () => {
    const col = await freshCollection(sdk, h.server);
    await col.add({
      ids: ['a', 'b'],
      embeddings: [
        [1, 0],
        [0, 1],
      ],
    });
    const plain = await col.query({ queryEmbeddings: [[1, 0]], nResults: 2 });
    h.tracing.reset();
    setPricer(throwingPricer);
    try {
      expect(await col.query({ queryEmbeddings: [[1, 0]], nResults: 2 })).toEqual(plain);
    } finally {
      setPricer(undefined);
    }
    const [span] = h.tracing.spans();
    expect(span.attributes['burnrate.vectordb.vectors']).toBe(2);
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('prices from the user prices file (e.g. Chroma Cloud): per operation and per vector', async () => {
    const file = path.join(dir, `prices-${sdk.build}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'vector_databases:',
        '  - db_system: chroma',
        '    operation: query',
        '    per_operation: 0.0000025',
        '  - db_system: chroma',
        '    operation: add',
        '    per_vector: 0.000001',
        '',
      ].join('\n'),
    );
    const col = await freshCollection(sdk, h.server);
    h.tracing.reset();
    setPricer(createPricer({ pricesFile: file }));
    try {
      await col.add({
        ids: ['a', 'b', 'c'],
        embeddings: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
      });
      await col.query({ queryEmbeddings: [[1, 0]], nResults: 1 });
      await col.count();
    } finally {
      setPricer(undefined);
    }
    const byOp = Object.fromEntries(
      h.tracing.spans().map((s) => [s.attributes['db.operation.name'], s.attributes]),
    );
    expect(byOp.add['burnrate.cost.usd']).toBeCloseTo(3 * 0.000001, 15);
    expect(byOp.add['burnrate.pricing.model']).toBe('chroma/add');
    expect(byOp.query['burnrate.cost.usd']).toBeCloseTo(0.0000025, 15);
    expect(byOp.count['burnrate.cost.source']).toBe('unpriced');
  });

  it('does nothing after disable()', async () => {
    const col = await freshCollection(sdk, h.server);
    h.tracing.reset();
    h.instrumentation.disable();
    try {
      await col.add({ ids: ['a'], embeddings: [[1, 0]] });
      await col.count();
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});
