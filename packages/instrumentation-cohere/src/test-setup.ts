import { createRequire } from 'node:module';
import {
  type ReplayServer,
  setupTracing,
  startReplayServer,
  type TestTracing,
} from '@burnrate/test-utils';
import * as cohere8 from 'cohere-ai';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CohereInstrumentation, type CohereInstrumentationConfig } from './index.ts';

const require = createRequire(import.meta.url);
const cohere7 = require('cohere-ai-v7') as typeof cohere8;

/** Both supported majors of `cohere-ai`, tested side by side. */
export const SDKS = [
  { major: 8, module: cohere8 },
  { major: 7, module: cohere7 },
] as const;

export type Sdk = (typeof SDKS)[number];

export interface Harness {
  tracing: TestTracing;
  replay: ReplayServer;
  instrumentation: CohereInstrumentation;
}

export function useHarness(config: CohereInstrumentationConfig = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.tracing = setupTracing();
    h.replay = await startReplayServer();
    h.instrumentation = new CohereInstrumentation(config);
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const sdk of SDKS) h.instrumentation.patchExports('cohere-ai', sdk.module);
  });
  afterEach(() => {
    h.tracing.reset();
    h.replay.requests.length = 0;
  });
  afterAll(async () => {
    h.instrumentation.disable();
    await h.replay.close();
    await h.tracing.shutdown();
  });
  return h;
}

export function v1(sdk: Sdk, url: string) {
  return new sdk.module.CohereClient({ token: 'test-key', environment: url });
}

export function v2(sdk: Sdk, url: string) {
  return new sdk.module.CohereClientV2({ token: 'test-key', environment: url });
}
