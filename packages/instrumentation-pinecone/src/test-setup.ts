import { type InstrumentedHarness, useInstrumentedHarness } from '@burnrate/test-utils';
import * as Pinecone9 from '@pinecone-database/pinecone';
import * as Pinecone8 from 'pinecone-v8';
import { PineconeInstrumentation } from './index.ts';

/** Both supported majors of `@pinecone-database/pinecone`, tested side by side. */
export const SDKS = [
  { major: 9, module: Pinecone9 },
  { major: 8, module: Pinecone8 as unknown as typeof Pinecone9 },
] as const;

export type Sdk = (typeof SDKS)[number];

/** The index of the recordings in test/fixtures/recorded/pinecone. */
export const INDEX_NAME = 'pinecone-instrumentation-test';

export type Harness = InstrumentedHarness<PineconeInstrumentation>;

/** Tracing with Burnrate's processor, a replay server, and the instrumentation patched into both SDKs. */
export function useHarness(): Harness {
  return useInstrumentedHarness(
    () => new PineconeInstrumentation(),
    (i) => {
      for (const sdk of SDKS) i.patchExports('@pinecone-database/pinecone', sdk.module);
    },
    { freshReplay: true },
  );
}

/** An `Index` of the SDK pointed at the replay server (explicit host: no control-plane lookup). */
export function openIndex(sdk: Sdk, url: string, namespace?: string) {
  const pc = new sdk.module.Pinecone({ apiKey: 'test-key', maxRetries: 0 });
  return pc.index({ name: INDEX_NAME, host: url, namespace });
}
