import { createRequire } from 'node:module';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import {
  type Http2ReplayServer,
  setupTracing,
  startHttp2ReplayServer,
  type TestTracing,
} from '@burnrate/test-utils';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BedrockInstrumentation } from './index.ts';

/** The client as Node loads it (`main`: its CJS build, the one an app's import shares). */
const Bedrock = createRequire(import.meta.url)(
  '@aws-sdk/client-bedrock-runtime',
) as typeof import('@aws-sdk/client-bedrock-runtime');

export interface Harness {
  tracing: TestTracing;
  replay: Http2ReplayServer;
  instrumentation: BedrockInstrumentation;
}

/** A global TracerProvider with Burnrate's span processor, an HTTP/2 replay server, the client patched. */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.tracing = setupTracing();
    h.replay = await startHttp2ReplayServer();
    h.instrumentation = new BedrockInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    h.instrumentation.patchExports('@aws-sdk/client-bedrock-runtime', Bedrock);
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

/** A real client pointed at the replay server (HTTP/2 cleartext), with static test credentials. */
export function client(url: string): BedrockRuntimeClient {
  return new Bedrock.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
}

export const settle = () => new Promise((r) => setTimeout(r, 20));
export { Bedrock };
