import { startBreakerFromEnv, startBudgetGatesFromEnv } from '@burnrate/budget';
import {
  abandonOpenStreams,
  type BurnrateInstrumentation,
  burnrateResourceAttributes,
  configureLabelCaps,
  labelCapLimitsFromEnv,
  setStreamIdleTimeout,
  streamIdleTimeoutFromEnv,
} from '@burnrate/core';
import { enableAiSdkTelemetry, registerAiSdkUsage } from '@burnrate/instrumentation-vercel-ai';
import { getDefaultPricer } from '@burnrate/pricing';
import {
  context,
  DiagConsoleLogger,
  DiagLogLevel,
  diag,
  propagation,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { batchOptionsFromEnv } from './batch-options.ts';
import { patchLoadedModules } from './eager-patch.ts';
import { exporterFromEnv } from './exporter.ts';
import { type LazyInstrumentation, lazyInstrumentations } from './lazy-instrumentations.ts';
import { type Metering, meteringFromEnv } from './metering.ts';
import { burnrateSpanProcessors, warmBurnrateSpanPath } from './processors.ts';

export interface BurnrateHandle {
  provider: TracerProvider | undefined;
  /** The instrumentations made so far: one is made when the library it patches is first loaded. */
  readonly instrumentations: BurnrateInstrumentation[];
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

interface ProxyProviderLike {
  getDelegate?: () => { constructor: { name: string } };
}

function hasGlobalProvider(): boolean {
  const delegate = (trace.getTracerProvider() as ProxyProviderLike).getDelegate?.();
  return delegate !== undefined && delegate.constructor.name !== 'NoopTracerProvider';
}

/** Reports a configuration problem once, clearly, and carries on (a bad setting never stops the service). */
function reportConfigError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[burnrate] configuration error: ${message}`);
}

/**
 * Starts tracing for Burnrate: every span is recorded (cost is a sum, so Burnrate's provider does
 * not sample), Burnrate's span processor prices GenAI spans, a batch processor exports over OTLP
 * without ever blocking a call (exporter down = dropped telemetry), and every instrumentation is
 * enabled, including on SDK copies the app already linked. When the process already has a tracer
 * provider, only the instrumentations are added to it.
 */
export function startBurnrate(env: NodeJS.ProcessEnv = process.env): BurnrateHandle {
  if (env.OTEL_LOG_LEVEL) {
    const level = DiagLogLevel[env.OTEL_LOG_LEVEL.toUpperCase() as keyof typeof DiagLogLevel];
    if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), level);
  }
  let resourceAttributes = {};
  try {
    resourceAttributes = burnrateResourceAttributes(env);
  } catch (error) {
    reportConfigError(error);
  }
  try {
    getDefaultPricer();
  } catch (error) {
    reportConfigError(error);
  }
  // Caps on distinct tenant / endpoint / team values, and the idle timeout of unread streams: a
  // bad variable is reported once here, and its default kept.
  const reportEnv = (m: string) => reportConfigError(new Error(m));
  configureLabelCaps(labelCapLimitsFromEnv(env, reportEnv));
  setStreamIdleTimeout(streamIdleTimeoutFromEnv(env, reportEnv));
  // Each instrumentation's package is loaded when the library it patches is (lazy-instrumentations.ts).
  const lazy = lazyInstrumentations();
  // The Vercel AI SDK is priced from its own telemetry spans, by BurnrateSpanProcessor.
  registerAiSdkUsage();
  let provider: TracerProvider | undefined;
  let metering: Metering | undefined;
  if (!hasGlobalProvider()) {
    const resource = defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes(resourceAttributes));
    const exporter = exporterFromEnv(env);
    // The money as cumulative counters in the process: survives any Collector outage or restart.
    if (exporter) metering = meteringFromEnv(env, resource);
    const processors = burnrateSpanProcessors(
      exporter,
      metering,
      exporter ? batchOptionsFromEnv(env, reportEnv) : {},
    );
    provider = new TracerProvider({
      resource,
      sampler: new AlwaysOnSampler(),
      spanProcessors: processors,
    });
    const cm = new AsyncLocalStorageContextManager();
    cm.enable();
    context.setGlobalContextManager(cm);
    propagation.setGlobalPropagator(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    );
    trace.setGlobalTracerProvider(provider);
    // The span path's first run (V8 compiling it) in idle tasks now, not inside the first call.
    warmBurnrateSpanPath(metering !== undefined, resource);
    // Flush what is buffered when the app finishes on its own. An exporter that is down must not
    // turn into an unhandled rejection: dropped telemetry, never a crashed service.
    process.once('beforeExit', () => {
      // Streams nobody read end now (abandoned, with their estimated cost), so they are flushed too.
      abandonOpenStreams();
      provider
        ?.forceFlush()
        .catch((error: unknown) => diag.warn('burnrate: final flush failed', error));
      metering
        ?.forceFlush()
        .catch((error: unknown) => diag.warn('burnrate: final metrics export failed', error));
    });
  } else {
    console.error(
      '[burnrate] a tracer provider is already registered: added Burnrate instrumentations to it. ' +
        'Add `new BurnrateSpanProcessor()` to its span processors to price other GenAI spans too ' +
        'and to cap the distinct tenant, endpoint and team values.',
    );
  }
  // Node 22.15+ has synchronous module hooks: Burnrate's own hook (module-hook.ts) patches every
  // SDK copy, CommonJS or ESM, and loads each instrumentation when its library is first loaded.
  if (!patchLoadedModules(lazy)) {
    // No module hook: every instrumentation now, with OpenTelemetry's require/import hooks.
    registerInstrumentations({ instrumentations: lazy.flatMap((l) => l.instance(true) ?? []) });
  }
  // The Vercel AI SDK 7 traces only through an integration: Burnrate's stand-in, silent when
  // the app registers its own (nothing is loaded unless the app calls the AI SDK).
  enableAiSdkTelemetry();
  // The breaker for runaway agents (BURNRATE_BREAKER_*): a bad value is reported, never thrown.
  startBreakerFromEnv(env, reportEnv);
  // In-process budget gates fed by the evaluator (nothing without BURNRATE_EVALUATOR_URL).
  let stopGates: (() => void) | undefined;
  try {
    stopGates = startBudgetGatesFromEnv(env);
  } catch (error) {
    reportConfigError(error);
  }
  return {
    provider,
    get instrumentations() {
      return lazy.flatMap((l: LazyInstrumentation) => l.loaded ?? []);
    },
    async shutdown() {
      stopGates?.();
      for (const l of lazy) l.disable();
      await provider?.shutdown();
      await metering?.shutdown().catch(() => undefined);
    },
  };
}
