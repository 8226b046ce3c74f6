import { describe, expect, it } from 'vitest';
import { ChromaV2, useHarness } from './test-setup.ts';

const h = useHarness();

const spansOf = (operation: string) =>
  h.tracing.spans().filter((s) => s.attributes['db.operation.name'] === operation);

let n = 0;
async function freshCollection() {
  const client = new ChromaV2.ChromaClient({ path: h.server.url });
  n++;
  // Our own embeddings: an explicit function that is never called keeps the default one unloaded.
  const embeddingFunction = {
    generate: async (texts: string[]) => texts.map(() => [0, 0, 0]),
  };
  return client.createCollection({ name: `v2-docs-${n}`, embeddingFunction });
}

describe('chromadb 2.x (chromadb-client 2.4.6) against a real Chroma server', () => {
  it('add, query, get, peek, upsert, update, delete and count', async () => {
    const col = await freshCollection();
    h.tracing.reset();
    await col.add({
      ids: ['a', 'b', 'c'],
      embeddings: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      documents: ['apple pie', 'banana bread', 'cherry tart'],
    });
    const r = await col.query({ queryEmbeddings: [[0.9, 0.1, 0]], nResults: 2 });
    expect(r.ids[0][0]).toBe('a');
    await col.get({ ids: ['a', 'b'] });
    await col.peek({ limit: 10 });
    await col.upsert({ ids: ['d'], embeddings: [[1, 1, 0]] });
    await col.update({ ids: ['a', 'b'], metadatas: [{ k: 1 }, { k: 2 }] });
    await col.delete({ ids: ['c'] });
    expect(await col.count()).toBe(3);

    const a = spansOf('add')[0].attributes;
    expect(spansOf('add')[0].name).toBe(`add ${col.name}`);
    expect(a['db.system.name']).toBe('chroma');
    expect(a['db.collection.name']).toBe(col.name);
    expect(a['server.address']).toBe('127.0.0.1');
    expect(a['server.port']).toBe(h.server.port);
    expect(a['burnrate.vectordb.vectors']).toBe(3);
    expect(a['burnrate.cost.source']).toBe('unpriced');
    const q = spansOf('query')[0].attributes;
    expect(q['burnrate.vectordb.top_k']).toBe(2);
    expect(q['burnrate.vectordb.vectors']).toBe(2);
    expect(spansOf('get').map((s) => s.attributes['burnrate.vectordb.vectors'])).toEqual([2, 3]);
    expect(spansOf('upsert')[0].attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(spansOf('update')[0].attributes['burnrate.vectordb.vectors']).toBe(2);
    expect(spansOf('delete')[0].attributes['burnrate.vectordb.vectors']).toBe(1);
    expect(spansOf('count')).toHaveLength(1);
    expect(h.tracing.spans()).toHaveLength(8);
    expect(JSON.stringify(h.tracing.spans().map((s) => s.attributes))).not.toContain('pie');
  });

  it('passes a server error through unchanged', async () => {
    const col = await freshCollection();
    await new ChromaV2.ChromaClient({ path: h.server.url }).deleteCollection({ name: col.name });
    h.tracing.reset();
    h.instrumentation.disable();
    const plain = await col.count().catch((e: unknown) => e);
    h.instrumentation.enable();
    const traced = await col.count().catch((e: unknown) => e);
    expect(traced).toBeInstanceOf(Error);
    expect((traced as Error).constructor).toBe((plain as Error).constructor);
    expect((traced as Error).message).toBe((plain as Error).message);
    const [span] = h.tracing.spans();
    expect(span.status.code).toBe(2);
  });
});
