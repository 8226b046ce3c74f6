import { context } from '@opentelemetry/api';
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
 * Tracing for a file of stream tests: Burnrate's span processor and an in-memory exporter, the
 * async context manager, and `BURNRATE_STREAM_IDLE_TIMEOUT` set for the file (it is read when
 * the first stream is wrapped) and restored after it.
 */
export function useStreamTracing(idleTimeout: string) {
  const saved = process.env.BURNRATE_STREAM_IDLE_TIMEOUT;
  process.env.BURNRATE_STREAM_IDLE_TIMEOUT = idleTimeout;
  const exporter = new InMemorySpanExporter();
  const tracer = new TracerProvider({
    spanProcessors: [
      new BurnrateSpanProcessor() as unknown as SpanProcessor,
      new SimpleSpanProcessor({ exporter }),
    ],
  }).getTracer('burnrate-test');
  beforeAll(() => {
    const cm = new AsyncLocalStorageContextManager();
    cm.enable();
    context.setGlobalContextManager(cm);
  });
  afterEach(() => exporter.reset());
  afterAll(() => {
    context.disable();
    if (saved === undefined) delete process.env.BURNRATE_STREAM_IDLE_TIMEOUT;
    else process.env.BURNRATE_STREAM_IDLE_TIMEOUT = saved;
  });
  return { exporter, tracer };
}
