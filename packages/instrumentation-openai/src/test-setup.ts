import {
  type InstrumentedHarness,
  type TestTracing,
  useInstrumentedHarness,
} from '@burnrate/test-utils';
import OpenAI7 from 'openai';
import OpenAI5 from 'openai-v5';
import OpenAI6 from 'openai-v6';
import { OpenAIInstrumentation } from './index.ts';

/**
 * Every supported major of the `openai` SDK, tested side by side (5.x is what LlamaIndex.TS's
 * `@llamaindex/openai` brings).
 */
export const SDKS = [
  { major: 7, OpenAI: OpenAI7, module: OpenAI7 },
  { major: 6, OpenAI: OpenAI6 as unknown as typeof OpenAI7, module: OpenAI6 },
  { major: 5, OpenAI: OpenAI5 as unknown as typeof OpenAI7, module: OpenAI5 },
] as const;

export type Harness = InstrumentedHarness<OpenAIInstrumentation>;

/** Tracing with Burnrate's processor, a replay server, and the instrumentation patched into every SDK. */
export function useHarness(
  config: ConstructorParameters<typeof OpenAIInstrumentation>[0] = {},
): Harness {
  return useInstrumentedHarness(
    () => new OpenAIInstrumentation(config),
    (i) => {
      for (const sdk of SDKS) i.patchExports('openai', { OpenAI: sdk.OpenAI });
    },
  );
}

export function client(sdk: (typeof SDKS)[number], baseURL: string): OpenAI7 {
  return new sdk.OpenAI({ apiKey: 'test-key', baseURL: `${baseURL}/v1`, maxRetries: 0 });
}

/**
 * The finished spans, once there are at least `n`. A call without reported usage ends its span
 * after its tokens are counted off the event loop (core's token-counter.ts): a little after the
 * caller saw the end (the first count in a process waits for the worker to load the encoding).
 */
export async function endedSpans(h: Harness, n = 1): Promise<ReturnType<TestTracing['spans']>> {
  for (let i = 0; i < 500 && h.tracing.spans().length < n; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return h.tracing.spans();
}
