import type { ResourceLike, TracingHookLike } from './types.ts';

/**
 * Whether `@mistralai/mistralai` 2.x will trace this call itself into the application's tracing
 * (its TracingHook, off by default): with `MISTRAL_SDK_TELEMETRY=global`, after
 * `configureTelemetry(client, 'global')`, or with a tracer provider set on the hook. Its span then
 * carries `gen_ai.provider.name = mistral_ai`, the model and `gen_ai.usage.*`, and
 * BurnrateSpanProcessor prices and attributes it: Burnrate opens no span of its own, so one call
 * stays one span. The SDK's `dedicated` mode exports to Mistral's own endpoint through a provider
 * of its own, which the application never sees: Burnrate records its own span then.
 * 1.x has no TracingHook.
 */
export function sdkTracesIntoApp(resource: ResourceLike): boolean {
  const hooks = resource._options?.hooks?.beforeRequestHooks;
  if (!Array.isArray(hooks)) return false;
  // Runs per call: a loop rather than `find` with a closure.
  let hook: TracingHookLike | undefined;
  for (const h of hooks) {
    if (
      typeof h === 'object' &&
      h !== null &&
      (h as TracingHookLike)._mistralTracingHook === true
    ) {
      hook = h as TracingHookLike;
      break;
    }
  }
  if (!hook) return false;
  if (hook._autoTelemetryProvider !== undefined) return false;
  if (hook.tracerProvider !== undefined || hook._telemetryUseGlobalProvider === true) return true;
  return globalFromEnv(hook);
}

/**
 * `MISTRAL_SDK_TELEMETRY=global`, read at a client's first call and kept with its hook: reading
 * `process.env` costs about a microsecond, on every call otherwise. Set the variable before a
 * client's first call (the SDK's own docs set it before creating the client).
 */
const envByHook = new WeakMap<object, boolean>();

function globalFromEnv(hook: TracingHookLike): boolean {
  let global = envByHook.get(hook);
  if (global === undefined) {
    global = process.env.MISTRAL_SDK_TELEMETRY?.trim().toLowerCase() === 'global';
    envByHook.set(hook, global);
  }
  return global;
}
