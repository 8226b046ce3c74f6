import { registerModelCallGate } from '@burnrate/core';
import { expect } from 'vitest';
import type { TestTracing } from './tracing.ts';

/**
 * The same check for every model instrumentation: with a budget gate that blocks, `call` rejects
 * with the gate's error before any request reaches the server, and one span records the refusal
 * (error status, the gate's `burnrate.budget.action`).
 */
export async function expectBlockingGateRefuses(
  call: () => Promise<unknown>,
  h: { replay: { requests: readonly unknown[] }; tracing: TestTracing },
): Promise<void> {
  const stop = registerModelCallGate(() => ({
    block: new Error('budget exceeded'),
    attributes: { 'burnrate.budget.action': 'block' },
  }));
  try {
    const error = await call().catch((e: unknown) => e);
    expect((error as Error).message).toBe('budget exceeded');
    expect(h.replay.requests).toHaveLength(0);
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).toBe(2);
    expect(spans[0].attributes['burnrate.budget.action']).toBe('block');
  } finally {
    stop();
  }
}
