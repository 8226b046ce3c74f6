import { withAttribution } from '@burnrate/core';
import { describe, expect, it } from 'vitest';
import { client, freshCollection, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const RECORDS = {
  ids: ['a', 'b', 'c'],
  embeddings: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  documents: ['the secret apple pie recipe', 'banana bread', 'cherry tart'],
  metadatas: [{ kind: 'pie' }, { kind: 'bread' }, { kind: 'tart' }],
};

const spansOf = (operation: string) =>
  h.tracing.spans().filter((s) => s.attributes['db.operation.name'] === operation);

describe.each(SDKS)('chromadb $build against a real Chroma server', (sdk) => {
  it('add: operation, collection, server and vectors written; self-hosted is unpriced', async () => {
    const col = await freshCollection(sdk, h.server);
    h.tracing.reset();
    await col.add(RECORDS);
    expect(await col.count()).toBe(3);
    const [span] = spansOf('add');
    expect(span.name).toBe(`add ${col.name}`);
    expect(span.kind).toBe(2);
    const a = span.attributes;
    expect(a['db.system.name']).toBe('chroma');
    expect(a['db.collection.name']).toBe(col.name);
    expect(a['server.address']).toBe('127.0.0.1');
    expect(a['server.port']).toBe(h.server.port);
    expect(a['burnrate.vectordb.vectors']).toBe(3);
    expect(a['burnrate.cost.source']).toBe('unpriced');
    expect(a['burnrate.cost.usd']).toBeUndefined();
    const text = JSON.stringify(a);
    expect(text).not.toContain('apple');
    expect(text).not.toContain('pie');
  });

  it('query: top_k and the rows returned over every query embedding', async () => {
    const col = await freshCollection(sdk, h.server);
    await col.add(RECORDS);
    h.tracing.reset();
    const r = await col.query({
      queryEmbeddings: [
        [0.9, 0.1, 0],
        [0, 0.1, 0.9],
      ],
      nResults: 2,
    });
    expect(r.ids[0][0]).toBe('a');
    expect(r.ids[1][0]).toBe('c');
    const [span] = spansOf('query');
    expect(span.attributes['burnrate.vectordb.top_k']).toBe(2);
    expect(span.attributes['burnrate.vectordb.vectors']).toBe(4);
    expect(JSON.stringify(span.attributes)).not.toContain('recipe');
  });

  it('get (and peek, which is a get): records read', async () => {
    const col = await freshCollection(sdk, h.server);
    await col.add(RECORDS);
    h.tracing.reset();
    const got = await col.get({ ids: ['a', 'b'] });
    expect(got.ids.sort()).toEqual(['a', 'b']);
    await col.get({ where: { kind: 'tart' } });
    await col.peek({ limit: 10 });
    expect(spansOf('get').map((s) => s.attributes['burnrate.vectordb.vectors'])).toEqual([2, 1, 3]);
    expect(h.tracing.spans()).toHaveLength(3);
  });

  it('upsert and update: vectors written', async () => {
    const col = await freshCollection(sdk, h.server);
    await col.add(RECORDS);
    h.tracing.reset();
    await col.upsert({
      ids: ['c', 'd'],
      embeddings: [
        [0, 0, 1],
        [1, 1, 0],
      ],
      documents: ['cherry', 'date'],
    });
    await col.update({ ids: ['a'], metadatas: [{ kind: 'cake' }] });
    expect(spansOf('upsert')[0].attributes['burnrate.vectordb.vectors']).toBe(2);
    expect(spansOf('update')[0].attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(await col.count()).toBe(4);
  });

  it('delete: the server-reported count, by ids or by filter', async () => {
    const col = await freshCollection(sdk, h.server);
    await col.add(RECORDS);
    h.tracing.reset();
    await col.delete({ ids: ['a', 'b'] });
    await col.delete({ where: { kind: 'tart' } });
    const [byIds, byFilter] = spansOf('delete');
    expect(byIds.attributes['burnrate.vectordb.vectors']).toBe(2);
    // A filter names no ids: the count is the one the server reports.
    expect(byFilter.attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(await col.count()).toBe(0);
    expect(spansOf('count')).toHaveLength(1);
  });

  it('a collection handle from client.collection(id) is traced too', async () => {
    const col = await freshCollection(sdk, h.server);
    const handle = client(sdk, h.server).collection(col.id);
    h.tracing.reset();
    await handle.add({ ids: ['x'], embeddings: [[1, 2, 3]] });
    const [span] = spansOf('add');
    expect(span.attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(span.attributes['db.system.name']).toBe('chroma');
  });

  it('search (Chroma Cloud only): the local server refuses it, and the error reaches the caller', async () => {
    const col = await freshCollection(sdk, h.server);
    await col.add(RECORDS);
    h.tracing.reset();
    // Built from the same copy of the client as the collection (its checks use instanceof).
    const { Search, Knn } = sdk.module;
    const search = new Search().rank(Knn({ query: [1, 0, 0], limit: 2 })).limit(2);
    const error = await col.search(search).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.module.ChromaServerError);
    const [span] = spansOf('search');
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('ChromaServerError');
  });

  it('carries the attribution scope like model calls', async () => {
    const col = await freshCollection(sdk, h.server);
    h.tracing.reset();
    await withAttribution({ team: 'kb', endpoint: '/ingest' }, () =>
      col.add({ ids: ['a'], embeddings: [[1, 0, 0]] }),
    );
    const [span] = spansOf('add');
    expect(span.attributes['burnrate.team']).toBe('kb');
    expect(span.attributes['burnrate.endpoint']).toBe('/ingest');
  });
});
