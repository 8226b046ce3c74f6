import { withAttribution } from '@burnrate/core';
import { exchange, loadHar } from '@burnrate/test-utils';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { INDEX_NAME, openIndex, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

/**
 * Pinecone serverless, Standard plan, AWS us-east-1: $16 per million read units
 * (https://www.pinecone.io/pricing/; the pricing package's built-in Pinecone rule).
 */
const USD_PER_READ_UNIT = 16 / 1_000_000;

const recorded = (name: string) =>
  loadHar(`pinecone/should-set-attributes-in-span-for-${name}.har`);

describe.each(SDKS)('pinecone v$major: recorded calls', (sdk) => {
  it('query: a span with the operation, index, top_k and matches; unpriced when no read units came back', async () => {
    h.replay.add(recorded('DB-query'));
    const index = openIndex(sdk, h.replay.url, 'ns1');
    const result = await index.query({
      topK: 3,
      vector: [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3],
      includeValues: true,
      includeMetadata: true,
    });
    expect(result.matches.map((m) => m.id)).toEqual(['vec1', 'vec3', 'vec4']);
    const [span] = h.tracing.spans();
    expect(span.name).toBe(`query ${INDEX_NAME}`);
    expect(span.kind).toBe(2); // CLIENT
    const a = span.attributes;
    expect(a['db.system.name']).toBe('pinecone');
    expect(a['db.operation.name']).toBe('query');
    expect(a['db.collection.name']).toBe(INDEX_NAME);
    expect(a['server.address']).toBe('127.0.0.1');
    expect(a['burnrate.vectordb.top_k']).toBe(3);
    expect(a['burnrate.vectordb.vectors']).toBe(3);
    // The recording's `usage` is `{}`: no read units, so no price (never a cost of 0).
    expect(a['burnrate.vectordb.read_units']).toBeUndefined();
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
    // Neither the query vector nor the returned metadata land on the span.
    const text = JSON.stringify(a);
    expect(text).not.toContain('0.3');
    expect(text).not.toContain('test_meta');
  });

  it('upsert: counts the vectors written; unpriced, as Pinecone reports no write units', async () => {
    h.replay.add(recorded('DB-upsert'));
    const index = openIndex(sdk, h.replay.url);
    await index.upsert({
      records: [{ id: 'vec5', values: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] }],
    });
    expect(h.replay.requests.at(-1)?.path).toBe('/vectors/upsert');
    const [span] = h.tracing.spans();
    expect(span.name).toBe(`upsert ${INDEX_NAME}`);
    expect(span.attributes['db.operation.name']).toBe('upsert');
    expect(span.attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(span.attributes['burnrate.vectordb.write_units']).toBeUndefined();
    expect(span.attributes['burnrate.cost.source']).toBe('unpriced');
    expect(span.attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('deleteOne, deleteMany and deleteAll: operation delete, with the ids counted', async () => {
    h.replay.add(recorded('DB-deletes'));
    const index = openIndex(sdk, h.replay.url, 'ns1');
    await index.deleteOne({ id: 'vec1' });
    await index.deleteMany({ ids: ['vec2', 'vec3'] });
    await index.deleteAll();
    expect(h.replay.requests.map((r) => r.json)).toEqual([
      { ids: ['vec1'], namespace: 'ns1' },
      { ids: ['vec2', 'vec3'], namespace: 'ns1' },
      { deleteAll: true, namespace: 'ns1' },
    ]);
    const spans = h.tracing.spans();
    expect(spans.map((s) => s.attributes['db.operation.name'])).toEqual([
      'delete',
      'delete',
      'delete',
    ]);
    expect(spans.map((s) => s.attributes['burnrate.vectordb.vectors'])).toEqual([1, 2, undefined]);
    for (const s of spans) expect(s.attributes['db.collection.name']).toBe(INDEX_NAME);
  });
});

describe.each(SDKS)(
  'pinecone v$major: read units (responses written from Pinecone’s REST API reference)',
  (sdk) => {
    it('prices a query’s read units per unit', async () => {
      h.replay.add([
        exchange('POST', 'https://index.svc.pinecone.io/query', {
          results: [],
          matches: [
            { id: 'doc-1', score: 0.92 },
            { id: 'doc-2', score: 0.87 },
          ],
          namespace: 'docs',
          usage: { readUnits: 6 },
        }),
      ]);
      const index = openIndex(sdk, h.replay.url, 'docs');
      const r = await index.query({ topK: 2, id: 'doc-0' });
      expect(r.usage?.readUnits).toBe(6);
      const a = h.tracing.spans()[0].attributes;
      expect(a['burnrate.vectordb.read_units']).toBe(6);
      expect(a['burnrate.vectordb.vectors']).toBe(2);
      expect(a['burnrate.cost.source']).toBe('usage');
      expect(a['burnrate.cost.usd']).toBeCloseTo(6 * USD_PER_READ_UNIT, 15);
      expect(a['burnrate.pricing.model']).toBe('pinecone');
    });

    it('fetch: records read and read units', async () => {
      h.replay.add([
        exchange('GET', 'https://index.svc.pinecone.io/vectors/fetch', {
          vectors: {
            a: { id: 'a', values: [0.1, 0.2] },
            b: { id: 'b', values: [0.3, 0.4] },
            c: { id: 'c', values: [0.5, 0.6] },
          },
          namespace: 'docs',
          usage: { readUnits: 1 },
        }),
      ]);
      const index = openIndex(sdk, h.replay.url, 'docs');
      const r = await index.fetch({ ids: ['a', 'b', 'c'] });
      expect(Object.keys(r.records)).toEqual(['a', 'b', 'c']);
      const a = h.tracing.spans()[0].attributes;
      expect(a['db.operation.name']).toBe('fetch');
      expect(a['burnrate.vectordb.vectors']).toBe(3);
      expect(a['burnrate.vectordb.read_units']).toBe(1);
      expect(a['burnrate.cost.usd']).toBeCloseTo(USD_PER_READ_UNIT, 15);
    });

    it('listPaginated: ids listed and read units', async () => {
      h.replay.add([
        exchange('GET', 'https://index.svc.pinecone.io/vectors/list', {
          vectors: [{ id: 'doc1#chunk1' }, { id: 'doc1#chunk2' }],
          pagination: { next: 'eyJza2lwX3Bhc3QiOiJkb2MxI2NodW5rMiJ9' },
          namespace: 'docs',
          usage: { readUnits: 1 },
        }),
      ]);
      const index = openIndex(sdk, h.replay.url, 'docs');
      const r = await index.listPaginated({ prefix: 'doc1#' });
      expect(r.vectors).toHaveLength(2);
      const a = h.tracing.spans()[0].attributes;
      expect(a['db.operation.name']).toBe('list');
      expect(a['burnrate.vectordb.vectors']).toBe(2);
      expect(a['burnrate.cost.usd']).toBeCloseTo(USD_PER_READ_UNIT, 15);
    });

    it('searchRecords: top_k, hits and read units (snake_case usage in the REST body)', async () => {
      h.replay.add([
        exchange('POST', 'https://index.svc.pinecone.io/records/namespaces/docs/search', {
          result: {
            hits: [
              { _id: 'rec1', _score: 0.8, fields: { category: 'a' } },
              { _id: 'rec2', _score: 0.7, fields: { category: 'b' } },
            ],
          },
          usage: { read_units: 7, embed_total_tokens: 12 },
        }),
      ]);
      const index = openIndex(sdk, h.replay.url, 'docs');
      const r = await index.searchRecords({
        query: { topK: 5, inputs: { text: 'disease prevention' } },
      });
      expect(r.result.hits).toHaveLength(2);
      const a = h.tracing.spans()[0].attributes;
      expect(a['db.operation.name']).toBe('search');
      expect(a['burnrate.vectordb.top_k']).toBe(5);
      expect(a['burnrate.vectordb.vectors']).toBe(2);
      expect(a['burnrate.vectordb.read_units']).toBe(7);
      expect(a['burnrate.cost.usd']).toBeCloseTo(7 * USD_PER_READ_UNIT, 15);
      expect(JSON.stringify(a)).not.toContain('disease');
    });

    it('update: one vector by id', async () => {
      h.replay.add([exchange('POST', 'https://index.svc.pinecone.io/vectors/update', {})]);
      const index = openIndex(sdk, h.replay.url, 'docs');
      await index.update({ id: 'a', metadata: { genre: 'drama' } });
      const a = h.tracing.spans()[0].attributes;
      expect(a['db.operation.name']).toBe('update');
      expect(a['burnrate.vectordb.vectors']).toBe(1);
      expect(a['burnrate.cost.source']).toBe('unpriced');
    });
  },
);

describe.each(SDKS)('pinecone v$major: attribution and parent spans', (sdk) => {
  it('carries the attribution scope and nests under the active span', async () => {
    h.replay.add(recorded('DB-query'));
    const index = openIndex(sdk, h.replay.url, 'ns1');
    const tracer = h.tracing.provider.getTracer('app');
    await tracer.startActiveSpan('GET /search', async (parent) => {
      await withAttribution({ team: 'search', endpoint: '/search' }, () =>
        index.query({ topK: 3, vector: [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3] }),
      );
      parent.end();
    });
    const span = h.tracing.spans().find((s) => s.attributes['db.system.name'] === 'pinecone');
    const parent = h.tracing.spans().find((s) => s.name === 'GET /search');
    expect(span?.attributes['burnrate.team']).toBe('search');
    expect(span?.attributes['burnrate.endpoint']).toBe('/search');
    expect(span?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
