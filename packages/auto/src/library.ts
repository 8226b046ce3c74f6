/**
 * `@burnrate/auto/instrumentations`: Burnrate for a service that runs its own OpenTelemetry SDK.
 * No side effects: importing this starts nothing.
 */
export {
  type Attribution,
  BurnrateSpanProcessor,
  burnrateResourceAttributes,
  currentAttribution,
  withAttribution,
} from '@burnrate/core';
export { patchLoadedModules } from './eager-patch.ts';
export { burnrateInstrumentations } from './instrumentations.ts';
