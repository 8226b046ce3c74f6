import { withAttribution } from '@burnrate/core';
import { describe, expect, it } from 'vitest';
import { responses } from './fixtures.ts';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const attrs = () => h.tracing.spans().map((s) => s.attributes);

describe.each(SDKS)('qdrant $version: point operations', (sdk) => {
  it('query: operation, collection, server, top_k and points read; self-hosted is unpriced', async () => {
    h.replay.add([responses.query()]);
    const q = client(sdk, h.replay.url);
    const r = await q.query('docs', { query: [0.2, 0.1, 0.9, 0.7], limit: 5, with_payload: true });
    expect(r.points.map((p) => p.id)).toEqual([1, 4]);
    expect(h.replay.requests[0].json).toMatchObject({ query: [0.2, 0.1, 0.9, 0.7], limit: 5 });
    const [span] = h.tracing.spans();
    expect(span.name).toBe('query docs');
    expect(span.kind).toBe(2);
    const a = span.attributes;
    expect(a['db.system.name']).toBe('qdrant');
    expect(a['db.operation.name']).toBe('query');
    expect(a['db.collection.name']).toBe('docs');
    expect(a['server.address']).toBe('127.0.0.1');
    expect(a['server.port']).toBe(Number(new URL(h.replay.url).port));
    expect(a['burnrate.vectordb.top_k']).toBe(5);
    expect(a['burnrate.vectordb.vectors']).toBe(2);
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
    const text = JSON.stringify(a);
    expect(text).not.toContain('0.9');
    expect(text).not.toContain('Berlin');
  });

  it('queryBatch and queryGroups: batch and group forms count every point returned', async () => {
    h.replay.add([responses.queryBatch(), responses.queryGroups()]);
    const q = client(sdk, h.replay.url);
    await q.queryBatch('docs', {
      searches: [
        { query: [0.1, 0.2], limit: 2 },
        { query: [0.3, 0.4], limit: 2 },
      ],
    });
    await q.queryGroups('docs', { query: [0.1, 0.2], group_by: 'doc_id', limit: 2, group_size: 2 });
    const [batch, groups] = attrs();
    expect(batch['db.operation.name']).toBe('query_batch');
    expect(batch['burnrate.vectordb.top_k']).toBe(2);
    expect(batch['burnrate.vectordb.vectors']).toBe(3);
    expect(groups['db.operation.name']).toBe('query_groups');
    expect(groups['burnrate.vectordb.vectors']).toBe(3);
  });

  it('upsert: points and batch forms count the vectors written', async () => {
    h.replay.add([responses.upsert(), responses.upsert()]);
    const q = client(sdk, h.replay.url);
    const r = await q.upsert('docs', {
      wait: true,
      points: [
        { id: 1, vector: [0.05, 0.61, 0.76, 0.74], payload: { city: 'Berlin' } },
        { id: 2, vector: [0.19, 0.81, 0.75, 0.11], payload: { city: 'London' } },
      ],
    });
    expect(r).toEqual({ operation_id: 42, status: 'completed' });
    await q.upsert('docs', {
      batch: {
        ids: [3, 4, 5],
        vectors: [
          [0.1, 0.2, 0.3, 0.4],
          [0.5, 0.6, 0.7, 0.8],
          [0.9, 1.0, 1.1, 1.2],
        ],
      },
    });
    expect(h.replay.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /collections/docs/points',
      'PUT /collections/docs/points',
    ]);
    const [points, batch] = attrs();
    expect(points['db.operation.name']).toBe('upsert');
    expect(points['burnrate.vectordb.vectors']).toBe(2);
    expect(batch['burnrate.vectordb.vectors']).toBe(3);
    expect(JSON.stringify(points)).not.toContain('London');
  });

  it('retrieve, scroll and count: points read', async () => {
    h.replay.add([responses.retrieve(), responses.scroll(), responses.count()]);
    const q = client(sdk, h.replay.url);
    await q.retrieve('docs', { ids: [1, 2] });
    const page = await q.scroll('docs', { limit: 3 });
    expect(page.next_page_offset).toBe(4);
    const c = await q.count('docs', { exact: true });
    expect(c.count).toBe(1234);
    const [retrieve, scroll, count] = attrs();
    expect(retrieve['db.operation.name']).toBe('retrieve');
    expect(retrieve['burnrate.vectordb.vectors']).toBe(2);
    expect(scroll['db.operation.name']).toBe('scroll');
    expect(scroll['burnrate.vectordb.vectors']).toBe(3);
    expect(scroll['burnrate.vectordb.top_k']).toBeUndefined();
    expect(count['db.operation.name']).toBe('count');
    expect(count['burnrate.vectordb.vectors']).toBeUndefined();
  });

  it('delete by ids counts them; delete by filter counts nothing it cannot know', async () => {
    h.replay.add([responses.delete(), responses.delete()]);
    const q = client(sdk, h.replay.url);
    await q.delete('docs', { points: [1, 2, 3] });
    await q.delete('docs', { filter: { must: [{ key: 'city', match: { value: 'London' } }] } });
    const [byIds, byFilter] = attrs();
    expect(byIds['db.operation.name']).toBe('delete');
    expect(byIds['burnrate.vectordb.vectors']).toBe(3);
    expect(byFilter['burnrate.vectordb.vectors']).toBeUndefined();
    expect(JSON.stringify(byFilter)).not.toContain('London');
  });

  it('batchUpdate: one span, the points of every operation in the batch', async () => {
    h.replay.add([responses.batchUpdate()]);
    const q = client(sdk, h.replay.url);
    await q.batchUpdate('docs', {
      operations: [
        {
          upsert: {
            points: [
              { id: 9, vector: [1, 2, 3, 4] },
              { id: 10, vector: [4, 3, 2, 1] },
            ],
          },
        },
        { delete: { points: [1] } },
      ],
    });
    const [a] = attrs();
    expect(h.tracing.spans()).toHaveLength(1);
    expect(a['db.operation.name']).toBe('batch_update');
    expect(a['burnrate.vectordb.vectors']).toBe(3);
  });

  it('setPayload: operation set_payload over the named points', async () => {
    h.replay.add([responses.setPayload()]);
    const q = client(sdk, h.replay.url);
    await q.setPayload('docs', { payload: { reviewed: true }, points: [1, 2] });
    const [a] = attrs();
    expect(a['db.operation.name']).toBe('set_payload');
    expect(a['burnrate.vectordb.vectors']).toBe(2);
  });
});

describe('qdrant 1.13: search and recommend (removed from the client in later minors)', () => {
  const sdk = SDKS[2];
  it('search, searchBatch and recommend', async () => {
    h.replay.add([responses.search(), responses.searchBatch(), responses.recommend()]);
    const q = client(sdk, h.replay.url) as unknown as {
      search(c: string, b: object): Promise<unknown[]>;
      searchBatch(c: string, b: object): Promise<unknown[][]>;
      recommend(c: string, b: object): Promise<unknown[]>;
    };
    const hits = await q.search('docs', { vector: [0.2, 0.1, 0.9, 0.7], limit: 3 });
    expect(hits).toHaveLength(3);
    await q.searchBatch('docs', {
      searches: [
        { vector: [0.2, 0.1], limit: 1 },
        { vector: [0.9, 0.7], limit: 2 },
      ],
    });
    await q.recommend('docs', { positive: [1], limit: 1 });
    const [search, batch, recommend] = attrs();
    expect(search['db.operation.name']).toBe('search');
    expect(search['burnrate.vectordb.top_k']).toBe(3);
    expect(search['burnrate.vectordb.vectors']).toBe(3);
    expect(batch['db.operation.name']).toBe('search_batch');
    // The batch asked for different limits: no single top_k.
    expect(batch['burnrate.vectordb.top_k']).toBeUndefined();
    expect(batch['burnrate.vectordb.vectors']).toBe(3);
    expect(recommend['db.operation.name']).toBe('recommend');
    expect(recommend['burnrate.vectordb.vectors']).toBe(1);
  });
});

describe.each(SDKS)('qdrant $version: attribution', (sdk) => {
  it('carries the attribution scope like model calls', async () => {
    h.replay.add([responses.query()]);
    const q = client(sdk, h.replay.url);
    await withAttribution({ team: 'support', endpoint: '/answer' }, () =>
      q.query('docs', { query: [0.2, 0.1], limit: 2 }),
    );
    const [a] = attrs();
    expect(a['burnrate.team']).toBe('support');
    expect(a['burnrate.endpoint']).toBe('/answer');
  });
});
