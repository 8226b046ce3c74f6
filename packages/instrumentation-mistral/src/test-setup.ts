import {
  type ReplayServer,
  setupTracing,
  startReplayServer,
  type TestTracing,
} from '@burnrate/test-utils';
import { Mistral as Mistral2 } from '@mistralai/mistralai';
import { Mistral as Mistral1 } from 'mistral-v1';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { MistralInstrumentation } from './index.ts';

export { chatExchange, embeddingsExchange, streamExchange } from './fixtures.ts';

/** Both supported majors of `@mistralai/mistralai`, tested side by side. */
export const SDKS = [
  { major: 2, Mistral: Mistral2 },
  { major: 1, Mistral: Mistral1 as unknown as typeof Mistral2 },
] as const;

export type Sdk = (typeof SDKS)[number];

export interface Harness {
  tracing: TestTracing;
  replay: ReplayServer;
  instrumentation: MistralInstrumentation;
}

export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.tracing = setupTracing();
    h.replay = await startReplayServer();
    h.instrumentation = new MistralInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const sdk of SDKS)
      h.instrumentation.patchExports('@mistralai/mistralai', { Mistral: sdk.Mistral });
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

export function client(sdk: Sdk, serverURL: string): Mistral2 {
  return new sdk.Mistral({ apiKey: 'test-key', serverURL, retryConfig: { strategy: 'none' } });
}
