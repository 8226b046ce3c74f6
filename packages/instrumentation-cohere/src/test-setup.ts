import { createRequire } from 'node:module';
import { type InstrumentedHarness, useInstrumentedHarness } from '@burnrate/test-utils';
import * as cohere8 from 'cohere-ai';
import { CohereInstrumentation, type CohereInstrumentationConfig } from './index.ts';

const require = createRequire(import.meta.url);
const cohere7 = require('cohere-ai-v7') as typeof cohere8;

/** Both supported majors of `cohere-ai`, tested side by side. */
export const SDKS = [
  { major: 8, module: cohere8 },
  { major: 7, module: cohere7 },
] as const;

export type Sdk = (typeof SDKS)[number];

export type Harness = InstrumentedHarness<CohereInstrumentation>;

export function useHarness(config: CohereInstrumentationConfig = {}): Harness {
  return useInstrumentedHarness(
    () => new CohereInstrumentation(config),
    (i) => {
      for (const sdk of SDKS) i.patchExports('cohere-ai', sdk.module);
    },
  );
}

export function v1(sdk: Sdk, url: string) {
  return new sdk.module.CohereClient({ token: 'test-key', environment: url });
}

export function v2(sdk: Sdk, url: string) {
  return new sdk.module.CohereClientV2({ token: 'test-key', environment: url });
}
