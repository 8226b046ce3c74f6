import type { BurnrateInstrumentation } from '@burnrate/core';
import { OpenAIInstrumentation } from '@burnrate/instrumentation-openai';

/**
 * Every Burnrate instrumentation, for a service that runs its own OpenTelemetry SDK:
 * `new NodeSDK({ instrumentations: burnrateInstrumentations(), spanProcessors: [new BurnrateSpanProcessor(), …] })`.
 */
export function burnrateInstrumentations(): BurnrateInstrumentation[] {
  return [new OpenAIInstrumentation()];
}
