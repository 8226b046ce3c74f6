import { createRequire } from 'node:module';
import { setupTracing, startReplayServer } from '@burnrate/test-utils';
import { isWrapped } from '@opentelemetry/instrumentation';
import { expect, it } from 'vitest';
import { responses } from './fixtures.ts';
import { QdrantInstrumentation } from './index.ts';

it('an enabled instrumentation patches the client when it is required (the require hook)', async () => {
  const tracing = setupTracing();
  const instrumentation = new QdrantInstrumentation();
  instrumentation.setTracerProvider(tracing.provider);
  const replay = await startReplayServer([responses.count()]);
  try {
    const { QdrantClient } = createRequire(import.meta.url)(
      '@qdrant/js-client-rest',
    ) as typeof import('@qdrant/js-client-rest');
    expect(isWrapped(QdrantClient.prototype.query)).toBe(true);
    await new QdrantClient({ url: replay.url, checkCompatibility: false }).count('docs', {});
    expect(tracing.spans().map((s) => s.name)).toEqual(['count docs']);
  } finally {
    instrumentation.disable();
    await replay.close();
    await tracing.shutdown();
  }
});
