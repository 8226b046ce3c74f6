import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setPricer } from '@burnrate/core';
import { createPricer } from '@burnrate/pricing';
import { exchange, loadHar, throwingPricer } from '@burnrate/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { openIndex, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const dir = mkdtempSync(path.join(tmpdir(), 'burnrate-pinecone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const queryWithUnits = () =>
  exchange('POST', 'https://index.svc.pinecone.io/query', {
    matches: [{ id: 'a', score: 1 }],
    namespace: '',
    usage: { readUnits: 5 },
  });

describe.each(SDKS)('pinecone v$major: errors and fail-open', (sdk) => {
  it('passes an API error through unchanged and marks the span', async () => {
    h.replay.add([
      exchange(
        'POST',
        'https://index.svc.pinecone.io/query',
        {
          code: 3,
          message: 'Vector dimension 3 does not match the dimension of the index 8',
          details: [],
        },
        { status: 400 },
      ),
    ]);
    const index = openIndex(sdk, h.replay.url);
    const error = await index.query({ topK: 1, vector: [1, 2, 3] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.module.Errors.PineconeBadRequestError);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('PineconeBadRequestError');
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('passes an argument error thrown before any request through unchanged', async () => {
    const index = openIndex(sdk, h.replay.url);
    // @ts-expect-error topK is required
    const error = await index.query({ vector: [1] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.module.Errors.PineconeArgumentError);
    expect(h.replay.requests).toHaveLength(0);
    expect(h.tracing.spans()[0].status.code).toBe(2);
  });

  it('returns the same result when pricing throws, and still ends the span', async () => {
    h.replay.add([queryWithUnits(), queryWithUnits()]);
    const index = openIndex(sdk, h.replay.url);
    const plain = await index.query({ topK: 1, id: 'a' });
    setPricer(throwingPricer);
    try {
      const traced = await index.query({ topK: 1, id: 'a' });
      expect(traced).toEqual(plain);
    } finally {
      setPricer(undefined);
    }
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(2);
    expect(spans[1].attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(spans[1].attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('prices from the user prices file: per-million read units and per-vector writes', async () => {
    const file = path.join(dir, `prices-${sdk.major}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'vector_databases:',
        '  - db_system: pinecone',
        '    per_million_read_units: 18',
        '  - db_system: pinecone',
        '    operation: upsert',
        '    per_vector: 0.000002',
        '',
      ].join('\n'),
    );
    h.replay.add([
      queryWithUnits(),
      exchange('POST', 'https://index.svc.pinecone.io/vectors/upsert', { upsertedCount: 3 }),
    ]);
    const index = openIndex(sdk, h.replay.url);
    setPricer(createPricer({ pricesFile: file }));
    try {
      await index.query({ topK: 1, id: 'a' });
      await index.upsert({
        records: [
          { id: 'x', values: [1, 0] },
          { id: 'y', values: [0, 1] },
          { id: 'z', values: [1, 1] },
        ],
      });
    } finally {
      setPricer(undefined);
    }
    const [query, upsert] = h.tracing.spans().map((s) => s.attributes);
    expect(query['burnrate.cost.usd']).toBeCloseTo((5 * 18) / 1e6, 15);
    expect(query['burnrate.pricing.model']).toBe('pinecone');
    expect(upsert['burnrate.cost.usd']).toBeCloseTo(3 * 0.000002, 15);
    expect(upsert['burnrate.pricing.model']).toBe('pinecone/upsert');
    expect(String(upsert['burnrate.pricing.catalog'])).toContain(file);
  });

  it('does nothing after disable()', async () => {
    h.replay.add(loadHar('pinecone/should-set-attributes-in-span-for-DB-upsert.har'));
    const index = openIndex(sdk, h.replay.url);
    h.instrumentation.disable();
    try {
      await index.upsert({
        records: [{ id: 'vec5', values: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] }],
      });
      expect(h.tracing.spans()).toHaveLength(0);
    } finally {
      h.instrumentation.enable();
    }
  });

  it('patching twice still gives one span per call', async () => {
    h.instrumentation.patchExports('@pinecone-database/pinecone', sdk.module);
    h.replay.add([queryWithUnits()]);
    await openIndex(sdk, h.replay.url).query({ topK: 1, id: 'a' });
    expect(h.tracing.spans()).toHaveLength(1);
  });
});
