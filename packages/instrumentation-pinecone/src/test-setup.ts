import {
  type ReplayServer,
  setupTracing,
  startReplayServer,
  type TestTracing,
} from '@burnrate/test-utils';
import * as Pinecone9 from '@pinecone-database/pinecone';
import * as Pinecone8 from 'pinecone-v8';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { PineconeInstrumentation } from './index.ts';

/** Both supported majors of `@pinecone-database/pinecone`, tested side by side. */
export const SDKS = [
  { major: 9, module: Pinecone9 },
  { major: 8, module: Pinecone8 as unknown as typeof Pinecone9 },
] as const;

export type Sdk = (typeof SDKS)[number];

/** The index of the recordings in test/fixtures/recorded/pinecone. */
export const INDEX_NAME = 'pinecone-instrumentation-test';

export interface Harness {
  tracing: TestTracing;
  replay: ReplayServer;
  instrumentation: PineconeInstrumentation;
}

/** Tracing with Burnrate's processor, a replay server, and the instrumentation patched into both SDKs. */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.tracing = setupTracing();
    h.instrumentation = new PineconeInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const sdk of SDKS)
      h.instrumentation.patchExports('@pinecone-database/pinecone', sdk.module);
  });
  // A fresh replay server per test: recordings of one test never answer another's requests.
  beforeEach(async () => {
    h.replay = await startReplayServer();
  });
  afterEach(async () => {
    h.tracing.reset();
    await h.replay.close();
  });
  afterAll(async () => {
    h.instrumentation.disable();
    await h.tracing.shutdown();
  });
  return h;
}

/** An `Index` of the SDK pointed at the replay server (explicit host: no control-plane lookup). */
export function openIndex(sdk: Sdk, url: string, namespace?: string) {
  const pc = new sdk.module.Pinecone({ apiKey: 'test-key', maxRetries: 0 });
  return pc.index({ name: INDEX_NAME, host: url, namespace });
}
