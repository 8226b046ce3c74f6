import { registerUsageReader } from '@burnrate/core';
import { aiSdkUsageReader } from './reader.ts';

export { AiSdkSpanProcessor, isAggregate } from './aggregate.ts';
export { providerName, resolveModel } from './provider.ts';
export { aiSdkUsageReader } from './reader.ts';

/**
 * Lets BurnrateSpanProcessor price the Vercel AI SDK's telemetry spans. Idempotent. Add
 * `AiSdkSpanProcessor` to the tracer provider too, so nested spans of one call are priced once.
 */
export function registerAiSdkUsage(): void {
  registerUsageReader(aiSdkUsageReader);
}
