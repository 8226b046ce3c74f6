import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  setPricer,
  withAttribution,
} from '@burnrate/core';
import { throwingPricer } from '@burnrate/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeaviateClient } from 'weaviate-client';
import { CLIENTS, connect, useHarness } from './test-setup.ts';

const h = useHarness();

const docs = [
  { title: 'secret alpha', vector: [1, 0, 0] },
  { title: 'beta budget', vector: [0, 1, 0] },
  { title: 'gamma budget', vector: [0, 0, 1] },
  { title: 'delta', vector: [1, 1, 0] },
];

function only(operation: string) {
  const spans = h.tracing.spans().filter((s) => s.attributes[ATTR_DB_OPERATION_NAME] === operation);
  expect(spans).toHaveLength(1);
  return spans[0];
}

describe.each(CLIENTS)('weaviate-client $version against a real Weaviate', (sdk) => {
  const NAME = `Article_${sdk.version.replace(/\W/g, '_')}`;
  let client: WeaviateClient;
  beforeAll(async () => {
    client = await connect(h, sdk);
    await client.collections.create({
      name: NAME,
      properties: [{ name: 'title', dataType: 'text' }],
      vectorizers: sdk.ns.default.configure.vectorizer.none(),
    });
    h.tracing.reset();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
  });

  it('records insertMany as one insert of the objects written, over gRPC', async () => {
    const articles = client.collections.get(NAME);
    const res = await articles.data.insertMany(
      docs.map((d) => ({ properties: { title: d.title }, vectors: d.vector })),
    );
    expect(res.hasErrors).toBe(false);
    const span = only('insert');
    expect(span.name).toBe(`insert ${NAME}`);
    expect(span.attributes).toMatchObject({
      [ATTR_DB_SYSTEM_NAME]: 'weaviate',
      [ATTR_DB_COLLECTION_NAME]: NAME,
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: h.server.grpcPort,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 4,
      [ATTR_BURNRATE_COST_SOURCE]: 'unpriced',
    });
    expect(span.attributes[ATTR_BURNRATE_COST_USD]).toBeUndefined();
  });

  it('records a near-vector query with top_k and the objects returned, never vectors or text', async () => {
    const res = await client.collections.get(NAME).query.nearVector([1, 0.123, 0], { limit: 2 });
    expect(res.objects.map((o) => o.properties.title)).toEqual(['secret alpha', 'delta']);
    const span = only('near_vector');
    expect(span.name).toBe(`near_vector ${NAME}`);
    expect(span.attributes).toMatchObject({
      [ATTR_DB_SYSTEM_NAME]: 'weaviate',
      [ATTR_DB_COLLECTION_NAME]: NAME,
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 2,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 2,
      [ATTR_BURNRATE_COST_SOURCE]: 'unpriced',
    });
    const recorded = JSON.stringify(span.attributes);
    expect(recorded).not.toContain('secret');
    expect(recorded).not.toContain('0.123');
  });

  it('records bm25 and hybrid queries, and fetchObjects without a limit', async () => {
    const articles = client.collections.get(NAME);
    const bm25 = await articles.query.bm25('budget', { limit: 5 });
    const hybrid = await articles.query.hybrid('budget', { vector: [0, 1, 0], limit: 1 });
    const all = await articles.query.fetchObjects();
    expect(bm25.objects).toHaveLength(2);
    expect(hybrid.objects).toHaveLength(1);
    expect(all.objects).toHaveLength(4);
    expect(only('bm25').attributes).toMatchObject({
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 5,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 2,
    });
    expect(only('hybrid').attributes).toMatchObject({
      [ATTR_BURNRATE_VECTORDB_TOP_K]: 1,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 1,
    });
    const fetch = only('fetch_objects');
    expect(fetch.attributes[ATTR_BURNRATE_VECTORDB_VECTORS]).toBe(4);
    expect(fetch.attributes[ATTR_BURNRATE_VECTORDB_TOP_K]).toBeUndefined();
  });

  it('records single-object REST writes: insert, update, replace, deleteById', async () => {
    const articles = client.collections.get(NAME);
    const id = await articles.data.insert({ properties: { title: 'epsilon' }, vectors: [0, 1, 1] });
    await articles.data.update({ id, properties: { title: 'epsilon 2' } });
    await articles.data.replace({ id, properties: { title: 'epsilon 3' }, vectors: [0, 1, 1] });
    expect(await articles.data.deleteById(id)).toBe(true);
    const ops = h.tracing
      .spans()
      .map((s) => [
        s.attributes[ATTR_DB_OPERATION_NAME],
        s.attributes[ATTR_DB_COLLECTION_NAME],
        s.attributes[ATTR_BURNRATE_VECTORDB_VECTORS],
      ]);
    expect(ops).toEqual([
      ['insert', NAME, 1],
      ['update', NAME, 1],
      ['replace', NAME, 1],
      ['delete', NAME, 1],
    ]);
    expect(h.tracing.spans()[0].attributes[ATTR_SERVER_PORT]).toBe(h.server.httpPort);
  });

  it('records deleteMany with the objects deleted; a dry run deletes none', async () => {
    const articles = client.collections.get(NAME);
    const filter = articles.filter.byProperty('title').like('*budget*');
    const dry = await articles.data.deleteMany(filter, { dryRun: true });
    const real = await articles.data.deleteMany(filter);
    expect(dry.matches).toBe(2);
    expect(real.successful).toBe(2);
    const [drySpan, realSpan] = h.tracing.spans();
    expect(drySpan.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'delete',
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 0,
    });
    expect(realSpan.attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'delete',
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 2,
    });
  });

  it('attributes the span to the caller’s scope', async () => {
    await withAttribution({ team: 'search', endpoint: '/ask' }, () =>
      client.collections.get(NAME).query.nearVector([1, 0, 0], { limit: 1 }),
    );
    expect(only('near_vector').attributes).toMatchObject({
      'burnrate.team': 'search',
      'burnrate.endpoint': '/ask',
    });
  });

  it('passes a server error through unchanged and marks the span', async () => {
    const missing = client.collections.get(`Missing_${sdk.version.replace(/\W/g, '_')}`);
    const traced = await missing.query.nearVector([1, 0, 0], { limit: 1 }).catch((e: unknown) => e);
    h.instrumentation.disable();
    const plain = await missing.query.nearVector([1, 0, 0], { limit: 1 }).catch((e: unknown) => e);
    h.instrumentation.enable();
    expect(traced).toBeInstanceOf(Error);
    expect((traced as Error).constructor).toBe((plain as Error).constructor);
    expect((traced as Error).message).toBe((plain as Error).message);
    const span = only('near_vector');
    expect(span.status.code).toBe(2);
    expect(span.attributes[ATTR_BURNRATE_COST_SOURCE]).toBeUndefined();
    expect(span.attributes[ATTR_DB_COLLECTION_NAME]).toBe(
      `Missing_${sdk.version.replace(/\W/g, '_')}`,
    );
  });

  it('returns the same objects when pricing throws, and after disable() records nothing', async () => {
    const articles = client.collections.get(NAME);
    const plain = await articles.query.nearVector([1, 0, 0], { limit: 3 });
    setPricer(throwingPricer);
    try {
      const traced = await articles.query.nearVector([1, 0, 0], { limit: 3 });
      expect(traced.objects.map((o) => o.uuid)).toEqual(plain.objects.map((o) => o.uuid));
    } finally {
      setPricer(undefined);
    }
    expect(h.tracing.spans()).toHaveLength(2);
    h.instrumentation.disable();
    try {
      await articles.query.nearVector([1, 0, 0], { limit: 3 });
    } finally {
      h.instrumentation.enable();
    }
    expect(h.tracing.spans()).toHaveLength(2);
  });
});
