import { createRequire } from 'node:module';
import { setupTracing } from '@burnrate/test-utils';
import { isWrapped } from '@opentelemetry/instrumentation';
import { expect, it } from 'vitest';
import { ChromaInstrumentation } from './index.ts';
import { type ChromaServer, startChroma } from './test-chroma-server.ts';

it('an enabled instrumentation patches the client when it is required (the require hook)', async () => {
  const tracing = setupTracing();
  const instrumentation = new ChromaInstrumentation();
  instrumentation.setTracerProvider(tracing.provider);
  let server: ChromaServer | undefined;
  try {
    server = await startChroma();
    const sdk = createRequire(import.meta.url)('chromadb') as typeof import('chromadb');
    const base = Object.getPrototypeOf(sdk.CollectionHandle.prototype) as { query: () => unknown };
    expect(isWrapped(base.query)).toBe(true);
    const client = new sdk.ChromaClient({ host: server.host, port: server.port, ssl: false });
    const col = await client.createCollection({ name: 'required', embeddingFunction: null });
    await col.add({ ids: ['a'], embeddings: [[1, 0]] });
    expect(tracing.spans().map((s) => s.name)).toEqual(['add required']);
  } finally {
    instrumentation.disable();
    await tracing.shutdown();
    await server?.stop();
  }
});
