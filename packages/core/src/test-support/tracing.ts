import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BurnrateSpanProcessor } from '../span-processor.ts';

/**
 * Tracing for a file of core tests: Burnrate's span processor before an in-memory exporter,
 * the async context manager for the file, spans cleared after each test. `global`: the provider
 * is also the global one (for code that finds its tracer through the API).
 */
export function useProcessorTracing(options: { global?: boolean } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      new BurnrateSpanProcessor() as unknown as SpanProcessor,
      new SimpleSpanProcessor({ exporter }),
    ],
  });
  const tracer = provider.getTracer('burnrate-test');
  beforeAll(() => {
    const cm = new AsyncLocalStorageContextManager();
    cm.enable();
    context.setGlobalContextManager(cm);
    if (options.global) trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => exporter.reset());
  afterAll(() => {
    if (options.global) trace.disable();
    context.disable();
  });
  return { exporter, provider, tracer };
}
