import { createRequire } from 'node:module';
import { type InstrumentedHarness, useInstrumentedHarness } from '@burnrate/test-utils';
import * as Qdrant19 from '@qdrant/js-client-rest';
import * as Qdrant13 from 'qdrant-v1-13';
import { QdrantInstrumentation } from './index.ts';

const require = createRequire(import.meta.url);
/** The CJS build is a second copy of the client class: `require` users get that one. */
const Qdrant19Cjs = require('@qdrant/js-client-rest') as typeof Qdrant19;

/** The current 1.x client, its CJS copy, and an older 1.x minor that still has search/recommend. */
export const SDKS = [
  { version: '1.19 (ESM)', module: Qdrant19 },
  { version: '1.19 (CJS)', module: Qdrant19Cjs },
  { version: '1.13 (ESM)', module: Qdrant13 as unknown as typeof Qdrant19 },
] as const;

export type Sdk = (typeof SDKS)[number];

export type Harness = InstrumentedHarness<QdrantInstrumentation>;

export function useHarness(): Harness {
  return useInstrumentedHarness(
    () => new QdrantInstrumentation(),
    (i) => {
      for (const sdk of SDKS) i.patchExports('@qdrant/js-client-rest', sdk.module);
    },
    { freshReplay: true },
  );
}

export function client(sdk: Sdk, url: string) {
  return new sdk.module.QdrantClient({ url, checkCompatibility: false });
}
