import Anthropic1 from '@anthropic-ai/sdk';
import { type InstrumentedHarness, useInstrumentedHarness } from '@burnrate/test-utils';
import Anthropic0 from 'anthropic-v0';
import Anthropic0Untraced from 'anthropic-v0-133';
import { AnthropicInstrumentation } from './index.ts';

type Client = InstanceType<typeof Anthropic1>;
type ClientClass = new (options: ConstructorParameters<typeof Anthropic1>[0]) => Client;

/**
 * The supported SDK lines, tested side by side: 1.x and 0.134+ trace themselves (one span per call
 * that Burnrate's span processor prices); 0.x before 0.134 does not (Burnrate records its span).
 */
export const SDKS = [
  {
    label: '1.12.0',
    Anthropic: Anthropic1 as unknown as ClientClass,
    module: Anthropic1,
    tracesItself: true,
  },
  {
    label: '0.137.0',
    Anthropic: Anthropic0 as unknown as ClientClass,
    module: Anthropic0,
    tracesItself: true,
  },
  {
    label: '0.133.0',
    Anthropic: Anthropic0Untraced as unknown as ClientClass,
    module: Anthropic0Untraced,
    tracesItself: false,
  },
] as const;

export type Sdk = (typeof SDKS)[number];

export type Harness = InstrumentedHarness<AnthropicInstrumentation>;

/** A global TracerProvider with Burnrate's span processor, a replay server, and all SDK copies patched. */
export function useHarness(): Harness {
  return useInstrumentedHarness(
    () => new AnthropicInstrumentation(),
    (i) => {
      for (const sdk of SDKS) i.patchExports('@anthropic-ai/sdk', { Anthropic: sdk.module });
    },
  );
}

export function client(sdk: Sdk, baseURL: string, options: Record<string, unknown> = {}): Client {
  return new sdk.Anthropic({ apiKey: 'test-key', baseURL, maxRetries: 0, ...options });
}

/** The span name each line gives a Messages call: the SDK's own, or Burnrate's. */
export function spanName(sdk: Sdk, model: string): string {
  return sdk.tracesItself ? 'anthropic.messages.create' : `chat ${model}`;
}

/** Waits for the SDK's span to end after a stream is closed (ends on the next ticks). */
export const settle = () => new Promise((r) => setTimeout(r, 20));
