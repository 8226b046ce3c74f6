import { createRequire } from 'node:module';
import { setupTracing, type TestTracing } from '@burnrate/test-utils';
import { afterAll, afterEach, beforeAll } from 'vitest';
import * as weaviateNs from 'weaviate-client';
import * as weaviateV35Ns from 'weaviate-client-v3-5';
import { WeaviateInstrumentation } from './index.ts';
import { startWeaviate, type WeaviateServer } from './test-server/weaviate-server.ts';

/** The CommonJS build of the same package: a second copy, patched on its own. */
const weaviateCjs = createRequire(import.meta.url)('weaviate-client') as typeof weaviateNs;

/** The newest weaviate-client 3.x (ESM and CJS builds) and an older 3.x, against one server. */
export const CLIENTS = [
  { version: '3.14', ns: weaviateNs },
  { version: '3.14 CJS', ns: weaviateCjs },
  { version: '3.5', ns: weaviateV35Ns as unknown as typeof weaviateNs },
] as const;

export interface Harness {
  tracing: TestTracing;
  instrumentation: WeaviateInstrumentation;
  server: WeaviateServer;
}

/** A real Weaviate server (own network namespace, free loopback ports), tracing, the instrumentation. */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.server = await startWeaviate();
    h.tracing = setupTracing();
    h.instrumentation = new WeaviateInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const c of CLIENTS) h.instrumentation.patchExports('weaviate-client', c.ns);
  }, 90_000);
  afterEach(() => h.tracing.reset());
  afterAll(async () => {
    h.instrumentation?.disable();
    await h.tracing?.shutdown();
    await h.server?.stop();
  }, 30_000);
  return h;
}

export function connect(h: Harness, sdk: (typeof CLIENTS)[number]) {
  return sdk.ns.default.connectToCustom({
    httpHost: h.server.host,
    httpPort: h.server.httpPort,
    grpcHost: h.server.host,
    grpcPort: h.server.grpcPort,
  });
}
