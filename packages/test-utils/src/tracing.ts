import { BurnrateSpanProcessor } from '@burnrate/core';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: TracerProvider;
  spans(): ReadableSpan[];
  /** The finished spans without agent-run spans (`invoke_agent`, one per run, made a tick after it). */
  calls(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

/** A global tracer provider with Burnrate's span processor and an in-memory exporter. */
export function setupTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new BurnrateSpanProcessor(), new SimpleSpanProcessor({ exporter })],
  });
  trace.disable();
  context.disable();
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    calls: () =>
      exporter
        .getFinishedSpans()
        .filter((s) => s.attributes['gen_ai.operation.name'] !== 'invoke_agent'),
    reset: () => exporter.reset(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
