import { type InstrumentedHarness, useInstrumentedHarness } from '@burnrate/test-utils';
import { GoogleGenAI as GoogleGenAI3, Models as Models3 } from '@google/genai';
import { GoogleGenAI as GoogleGenAI2, Models as Models2 } from 'google-genai-v2';
import { GoogleGenAIInstrumentation } from './index.ts';

/** Both supported majors of `@google/genai`, tested side by side. */
export const SDKS = [
  { major: 3, GoogleGenAI: GoogleGenAI3, Models: Models3 },
  {
    major: 2,
    GoogleGenAI: GoogleGenAI2 as unknown as typeof GoogleGenAI3,
    Models: Models2 as unknown as typeof Models3,
  },
] as const;

export type Sdk = (typeof SDKS)[number];

export type Harness = InstrumentedHarness<GoogleGenAIInstrumentation>;

export function useHarness(): Harness {
  return useInstrumentedHarness(
    () => new GoogleGenAIInstrumentation(),
    (i) => {
      for (const sdk of SDKS) i.patchExports('@google/genai', { Models: sdk.Models });
    },
  );
}

/** A Gemini Developer API client (API key) pointed at the replay server. */
export function gemini(sdk: Sdk, baseUrl: string): GoogleGenAI3 {
  return new sdk.GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: { baseUrl, retryOptions: { attempts: 1 } },
  });
}

/** A Vertex AI client in express mode (API key, no Google Cloud credentials needed). */
export function vertex(sdk: Sdk, baseUrl: string): GoogleGenAI3 {
  return new sdk.GoogleGenAI({
    vertexai: true,
    apiKey: 'test-key',
    httpOptions: { baseUrl, retryOptions: { attempts: 1 } },
  });
}
