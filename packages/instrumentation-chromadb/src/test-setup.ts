import { createRequire } from 'node:module';
import { setupTracing, type TestTracing } from '@burnrate/test-utils';
import * as Chroma from 'chromadb';
import * as ChromaV2 from 'chromadb-v2';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ChromaInstrumentation } from './index.ts';
import { type ChromaServer, startChroma } from './test-chroma-server.ts';

const require = createRequire(import.meta.url);
/** `require('chromadb')` loads the CJS build: a second copy of every class. */
const ChromaCjs = require('chromadb') as typeof Chroma;

/**
 * The ESM build patched from its exports, and the CJS build patched from its client class only
 * (as if `CollectionHandle` were not exported): the collection class is then found on the
 * first collection the client hands out.
 */
export const SDKS = [
  { build: 'ESM', module: Chroma, exports: Chroma as unknown },
  { build: 'CJS', module: ChromaCjs, exports: { ChromaClient: ChromaCjs.ChromaClient } as unknown },
] as const;

export type Sdk = (typeof SDKS)[number];

/** The previous major, 2.x (`chromadb-client`: 2.x without bundled embedding dependencies). */
export { ChromaV2 };

export interface Harness {
  tracing: TestTracing;
  server: ChromaServer;
  instrumentation: ChromaInstrumentation;
}

/** A real Chroma server for the file, tracing with Burnrate's processor, both client builds patched. */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.server = await startChroma();
    h.tracing = setupTracing();
    h.instrumentation = new ChromaInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const sdk of SDKS) h.instrumentation.patchExports('chromadb', sdk.exports);
    h.instrumentation.patchExports('chromadb-client', ChromaV2);
  });
  afterEach(() => h.tracing.reset());
  afterAll(async () => {
    h.instrumentation?.disable();
    await h.tracing?.shutdown();
    await h.server?.stop();
  });
  return h;
}

export function client(sdk: Sdk, server: ChromaServer) {
  return new sdk.module.ChromaClient({ host: server.host, port: server.port, ssl: false });
}

let n = 0;
/** A fresh collection with no embedding function (the tests bring their own vectors). */
export async function freshCollection(sdk: Sdk, server: ChromaServer, prefix = 'docs') {
  const c = client(sdk, server);
  n++;
  return c.createCollection({
    name: `${prefix}-${sdk.build.toLowerCase()}-${n}`,
    embeddingFunction: null,
  });
}
