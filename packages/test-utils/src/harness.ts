import type { TracerProvider } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type ReplayServer, startReplayServer } from './replay-server.ts';
import { setupTracing, type TestTracing } from './tracing.ts';

/** What an instrumentation's tests need: spans, a server replaying recordings, the instrumentation. */
export interface InstrumentedHarness<I> {
  tracing: TestTracing;
  replay: ReplayServer;
  instrumentation: I;
}

/** What the harness needs of an instrumentation. */
export interface HarnessInstrumentation {
  setTracerProvider(provider: TracerProvider): void;
  disable(): void;
}

/**
 * The harness of an instrumentation's test file: a global tracer provider with Burnrate's span
 * processor (`setupTracing`), a replay server, and the instrumentation `make` returns, pointed at
 * that provider, given to `patch` (which patches every SDK copy the file tests). Spans and
 * requests are cleared after each test, everything is shut down after the file. `freshReplay`:
 * a new replay server for each test, so that recordings one test queued never answer another's
 * requests. The object is filled in before the first test.
 */
export function useInstrumentedHarness<I extends HarnessInstrumentation>(
  make: () => I,
  patch: (instrumentation: I) => void,
  options: { freshReplay?: boolean } = {},
): InstrumentedHarness<I> {
  const h = {} as InstrumentedHarness<I>;
  beforeAll(async () => {
    h.tracing = setupTracing();
    if (!options.freshReplay) h.replay = await startReplayServer();
    h.instrumentation = make();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    patch(h.instrumentation);
  });
  if (options.freshReplay) {
    beforeEach(async () => {
      h.replay = await startReplayServer();
    });
  }
  afterEach(async () => {
    h.tracing.reset();
    if (options.freshReplay) await h.replay.close();
    else h.replay.requests.length = 0;
  });
  afterAll(async () => {
    h.instrumentation.disable();
    if (!options.freshReplay) await h.replay.close();
    await h.tracing.shutdown();
  });
  return h;
}
