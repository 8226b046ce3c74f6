import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'vitest';
import type { TestTracing } from './tracing.ts';

/**
 * Reads `stream`, calling `abort` once `after` chunks have arrived, and says what the caller saw:
 * `done after N`, or the error's class and name and how many chunks came before it.
 */
export async function readAborting(
  stream: AsyncIterable<unknown> | Iterable<unknown>,
  abort: () => void,
  after = 2,
): Promise<string> {
  let n = 0;
  try {
    for await (const _ of stream) if (++n === after) abort();
    return `done after ${n}`;
  } catch (e) {
    const error = e as Error;
    return `${error.constructor?.name}/${error.name} after ${n}`;
  }
}

/**
 * The abort check of every stream instrumentation: `outcome` opens one stream and aborts it
 * mid-way (`readAborting`). Traced, it ends exactly one span (`check` may look at it); with the
 * instrumentation disabled, the caller sees the same outcome, and no span is added (`sdkSpan`:
 * but the one an SDK that traces itself makes).
 */
export async function expectAbortUnchanged(
  outcome: () => Promise<string>,
  h: { tracing: TestTracing; instrumentation: { enable(): void; disable(): void } },
  settle: () => Promise<unknown>,
  o: { check?: (span: ReadableSpan) => void; sdkSpan?: boolean } = {},
): Promise<void> {
  const traced = await outcome();
  await settle();
  const spans = h.tracing.spans();
  expect(spans).toHaveLength(1);
  o.check?.(spans[0]);
  h.instrumentation.disable();
  try {
    expect(await outcome()).toBe(traced);
  } finally {
    h.instrumentation.enable();
  }
  await settle();
  expect(h.tracing.spans()).toHaveLength(o.sdkSpan ? 2 : 1);
}
