import {
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@burnrate/core';
import { setupTracing, type TestTracing } from '@burnrate/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instrumentConnection, type Tracing } from './connection.ts';

/** The gRPC searches of a connection without a server: helpers shaped like the client's. */
const reply = { results: [{}, {}, {}] };

function searcher() {
  const s = {
    calls: 0,
    withNearVector: (_args: unknown) => {
      s.calls++;
      return Promise.resolve(reply);
    },
    withFetch: (_args: unknown) => Promise.resolve(reply),
  };
  return s;
}

function connection(helper: () => ReturnType<typeof searcher>) {
  return {
    host: 'http://127.0.0.1:8080',
    params: { grpcAddress: '127.0.0.1:50051' },
    search: (..._args: unknown[]) => Promise.resolve(helper()),
  };
}

let tracing: TestTracing;
let on = true;
const t: Tracing = { tracer: () => tracing.provider.getTracer('test'), enabled: () => on };

beforeAll(() => {
  tracing = setupTracing();
});
afterEach(() => {
  tracing.reset();
  on = true;
});
afterAll(() => tracing.shutdown());

describe('gRPC helpers', () => {
  it('traces every search on a new helper, with the collection, server and top_k', async () => {
    const c = connection(searcher);
    instrumentConnection(t, c);
    for (const limit of [5, 7]) {
      const s = await c.search('Docs');
      expect(await s.withNearVector({ limit })).toBe(reply);
    }
    const spans = tracing.spans();
    expect(spans.map((s) => s.name)).toEqual(['near_vector Docs', 'near_vector Docs']);
    expect(spans.map((s) => s.attributes[ATTR_BURNRATE_VECTORDB_TOP_K])).toEqual([5, 7]);
    expect(spans[0].attributes).toMatchObject({
      [ATTR_DB_OPERATION_NAME]: 'near_vector',
      [ATTR_DB_COLLECTION_NAME]: 'Docs',
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: 50051,
      [ATTR_BURNRATE_VECTORDB_VECTORS]: 3,
    });
  });

  it('wraps a helper handed out twice once: one span per call', async () => {
    const shared = searcher();
    const c = connection(() => shared);
    instrumentConnection(t, c);
    await (await c.search('Docs')).withNearVector({ limit: 1 });
    await (await c.search('Docs')).withNearVector({ limit: 1 });
    expect(shared.calls).toBe(2);
    expect(tracing.spans()).toHaveLength(2);
  });

  it('traces a helper that cannot take new properties, and wraps it once', async () => {
    const sealed = Object.seal(searcher());
    const c = connection(() => sealed);
    instrumentConnection(t, c);
    await (await c.search('Docs')).withFetch({});
    await (await c.search('Docs')).withFetch({});
    expect(tracing.spans().map((s) => s.name)).toEqual([
      'fetch_objects Docs',
      'fetch_objects Docs',
    ]);
    expect(Object.getOwnPropertySymbols(sealed)).toEqual([]);
  });

  it('calls the helper untraced while the instrumentation is off', async () => {
    const c = connection(searcher);
    instrumentConnection(t, c);
    on = false;
    const s = await c.search('Docs');
    expect(await s.withNearVector({ limit: 2 })).toBe(reply);
    expect(tracing.spans()).toHaveLength(0);
  });
});
