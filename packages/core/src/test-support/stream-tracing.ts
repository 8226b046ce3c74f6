import { afterAll } from 'vitest';
import { useProcessorTracing } from './tracing.ts';

/**
 * Tracing for a file of stream tests: Burnrate's span processor and an in-memory exporter, the
 * async context manager, and `BURNRATE_STREAM_IDLE_TIMEOUT` set for the file (it is read when
 * the first stream is wrapped) and restored after it.
 */
export function useStreamTracing(idleTimeout: string) {
  const saved = process.env.BURNRATE_STREAM_IDLE_TIMEOUT;
  process.env.BURNRATE_STREAM_IDLE_TIMEOUT = idleTimeout;
  const { exporter, tracer } = useProcessorTracing();
  afterAll(() => {
    if (saved === undefined) delete process.env.BURNRATE_STREAM_IDLE_TIMEOUT;
    else process.env.BURNRATE_STREAM_IDLE_TIMEOUT = saved;
  });
  return { exporter, tracer };
}
