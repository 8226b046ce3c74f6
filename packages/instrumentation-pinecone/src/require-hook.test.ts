import { createRequire } from 'node:module';
import { exchange, setupTracing, startReplayServer } from '@burnrate/test-utils';
import { isWrapped } from '@opentelemetry/instrumentation';
import { expect, it } from 'vitest';
import { PineconeInstrumentation } from './index.ts';

it('an enabled instrumentation patches the client when it is required (the require hook)', async () => {
  const tracing = setupTracing();
  const instrumentation = new PineconeInstrumentation();
  instrumentation.setTracerProvider(tracing.provider);
  const replay = await startReplayServer([
    exchange('POST', 'https://index.svc.pinecone.io/query', {
      matches: [],
      namespace: '',
      usage: { readUnits: 1 },
    }),
  ]);
  try {
    const sdk = createRequire(import.meta.url)(
      '@pinecone-database/pinecone',
    ) as typeof import('@pinecone-database/pinecone');
    expect(isWrapped(sdk.Index.prototype.query)).toBe(true);
    const index = new sdk.Pinecone({ apiKey: 'k' }).index({ name: 'idx', host: replay.url });
    await index.query({ topK: 1, id: 'a' });
    expect(tracing.spans().map((s) => s.name)).toEqual(['query idx']);
  } finally {
    instrumentation.disable();
    await replay.close();
    await tracing.shutdown();
  }
});
