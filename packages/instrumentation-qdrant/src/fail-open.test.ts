import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setPricer } from '@burnrate/core';
import { createPricer } from '@burnrate/pricing';
import { throwingPricer } from '@burnrate/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { responses } from './fixtures.ts';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const dir = mkdtempSync(path.join(tmpdir(), 'burnrate-qdrant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the CJS build is a separate copy of the client class, patched too', () => {
  expect(SDKS[1].module.QdrantClient).not.toBe(SDKS[0].module.QdrantClient);
});

describe.each(SDKS)('qdrant $version: errors and fail-open', (sdk) => {
  it('passes an API error through unchanged (same class and message as without Burnrate)', async () => {
    h.replay.add([responses.notFound('/points/query'), responses.notFound('/points/query')]);
    const q = client(sdk, h.replay.url);
    h.instrumentation.disable();
    const plain = await q.query('docs', { query: [1, 2], limit: 1 }).catch((e: unknown) => e);
    h.instrumentation.enable();
    const traced = await q.query('docs', { query: [1, 2], limit: 1 }).catch((e: unknown) => e);
    expect(traced).toBeInstanceOf(Error);
    expect((traced as Error).constructor).toBe((plain as Error).constructor);
    expect((traced as Error).message).toBe((plain as Error).message);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe((plain as Error).constructor.name);
    expect(span.attributes['burnrate.cost.source']).toBeUndefined();
  });

  it('returns the same result when pricing throws, and still ends the span', async () => {
    h.replay.add([responses.query(), responses.query()]);
    const q = client(sdk, h.replay.url);
    const plain = await q.query('docs', { query: [1, 2], limit: 2 });
    setPricer(throwingPricer);
    try {
      expect(await q.query('docs', { query: [1, 2], limit: 2 })).toEqual(plain);
    } finally {
      setPricer(undefined);
    }
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(2);
    expect(spans[1].attributes['burnrate.vectordb.vectors']).toBe(2);
  });

  it('prices from the user prices file: per operation and per vector (e.g. a Qdrant Cloud contract)', async () => {
    const file = path.join(dir, `prices-${sdk.version.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'vector_databases:',
        '  - db_system: qdrant',
        '    operation: query',
        '    per_operation: 0.00001',
        '  - db_system: qdrant',
        '    operation: upsert',
        '    per_vector: 0.000003',
        '',
      ].join('\n'),
    );
    h.replay.add([responses.query(), responses.upsert(), responses.count()]);
    const q = client(sdk, h.replay.url);
    setPricer(createPricer({ pricesFile: file }));
    try {
      await q.query('docs', { query: [1, 2], limit: 2 });
      await q.upsert('docs', { points: [1, 2, 3, 4].map((id) => ({ id, vector: [id, 0] })) });
      await q.count('docs', {});
    } finally {
      setPricer(undefined);
    }
    const [query, upsert, count] = h.tracing.spans().map((s) => s.attributes);
    expect(query['burnrate.cost.usd']).toBeCloseTo(0.00001, 15);
    expect(query['burnrate.pricing.model']).toBe('qdrant/query');
    expect(upsert['burnrate.cost.usd']).toBeCloseTo(4 * 0.000003, 15);
    // No rule for count: still counted, never priced at 0.
    expect(count['burnrate.cost.source']).toBe('unpriced');
    expect(count['burnrate.cost.usd']).toBeUndefined();
  });

  it('does nothing after disable()', async () => {
    h.replay.add([responses.count()]);
    h.instrumentation.disable();
    try {
      await client(sdk, h.replay.url).count('docs', {});
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });
});
