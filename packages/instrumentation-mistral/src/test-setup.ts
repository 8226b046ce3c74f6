import { type InstrumentedHarness, useInstrumentedHarness } from '@burnrate/test-utils';
import { Mistral as Mistral2 } from '@mistralai/mistralai';
import { Mistral as Mistral1 } from 'mistral-v1';
import { MistralInstrumentation } from './index.ts';

export { chatExchange, embeddingsExchange, streamExchange } from './fixtures.ts';

/** Both supported majors of `@mistralai/mistralai`, tested side by side. */
export const SDKS = [
  { major: 2, Mistral: Mistral2 },
  { major: 1, Mistral: Mistral1 as unknown as typeof Mistral2 },
] as const;

export type Sdk = (typeof SDKS)[number];

export type Harness = InstrumentedHarness<MistralInstrumentation>;

export function useHarness(): Harness {
  return useInstrumentedHarness(
    () => new MistralInstrumentation(),
    (i) => {
      for (const sdk of SDKS) i.patchExports('@mistralai/mistralai', { Mistral: sdk.Mistral });
    },
  );
}

export function client(sdk: Sdk, serverURL: string): Mistral2 {
  return new sdk.Mistral({ apiKey: 'test-key', serverURL, retryConfig: { strategy: 'none' } });
}
