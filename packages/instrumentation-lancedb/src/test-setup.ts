import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupTracing, type TestTracing } from '@burnrate/test-utils';
import * as lancedb from '@lancedb/lancedb';
import * as lancedbV026 from 'lancedb-v0-26';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { LanceDBInstrumentation } from './index.ts';

/** The newest @lancedb/lancedb and an older 0.x line (0.x minors break APIs), side by side. */
export const SDKS = [
  { version: '0.39', lancedb },
  { version: '0.26', lancedb: lancedbV026 as unknown as typeof lancedb },
] as const;

export interface Harness {
  tracing: TestTracing;
  instrumentation: LanceDBInstrumentation;
  dir: string;
}

/** In-process LanceDB databases in a temporary directory, tracing, the instrumentation. */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(() => {
    h.dir = mkdtempSync(join(tmpdir(), 'burnrate-lancedb-'));
    h.tracing = setupTracing();
    h.instrumentation = new LanceDBInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const sdk of SDKS) h.instrumentation.patchExports('@lancedb/lancedb', sdk.lancedb);
  });
  afterEach(() => h.tracing.reset());
  afterAll(async () => {
    h.instrumentation?.disable();
    await h.tracing?.shutdown();
    if (h.dir) rmSync(h.dir, { recursive: true, force: true });
  });
  return h;
}
