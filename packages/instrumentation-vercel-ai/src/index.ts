import { registerUsageReader } from '@burnrate/core';
import { aiSdkUsageReader } from './reader.ts';

export { type AiSdkTelemetryOptions, enableAiSdkTelemetry } from './auto-telemetry.ts';
export { providerName, resolveModel } from './provider.ts';
export { aiSdkUsageReader } from './reader.ts';

/**
 * Lets BurnrateSpanProcessor price the Vercel AI SDK's telemetry spans. Idempotent. Nested spans
 * of one call are priced once: the processor keeps the cost on the innermost priced span.
 */
export function registerAiSdkUsage(): void {
  registerUsageReader(aiSdkUsageReader);
}
