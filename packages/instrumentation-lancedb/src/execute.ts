import { burnrateLogger, type CallSpan, safely, startCallSpan, traceCallOf } from '@burnrate/core';
import { type Attributes, context as otelContext, type Tracer } from '@opentelemetry/api';
import { stateOf } from './query-state.ts';
import { DEFAULT_SEARCH_LIMIT, record, rowsOf, spanStart } from './record.ts';
import { ArrowCall } from './traced-call.ts';
import type { IteratorLike, Method } from './types.ts';

interface Plan {
  operation: string;
  table: string | undefined;
  name: string;
  attributes: Attributes;
}

function planOf(query: unknown): Plan {
  const state = typeof query === 'object' && query !== null ? stateOf(query) : undefined;
  const operation = state?.kind ?? 'query';
  const table = state?.table;
  const topK = state?.limit ?? (state?.vector ? DEFAULT_SEARCH_LIMIT : undefined);
  const start = spanStart(operation, table, topK);
  return { operation, table, name: start.name, attributes: start.attributes };
}

/** `planOf`, failing open (what `safely` does, without a closure per call). */
function planSafely(query: unknown): Plan | undefined {
  try {
    return planOf(query);
  } catch (error) {
    burnrateLogger.warn('reading query failed; telemetry for this call may be incomplete', error);
    return undefined;
  }
}

/** `toArrow()` (which `toArray()` calls): one span, the rows of the Arrow table it resolves to. */
export function tracedToArrow(
  tracer: Tracer,
  original: Method,
  query: unknown,
  args: unknown[],
): unknown {
  const plan = planSafely(query);
  if (!plan) return original.apply(query, args);
  return traceCallOf(
    { tracer, name: plan.name, attributes: plan.attributes },
    new ArrowCall(original, query, args, plan.operation, plan.table),
  );
}

/**
 * Patches a batch iterator (what `execute()` and `[Symbol.asyncIterator]()` return) in place:
 * the span counts the rows of every batch the caller reads, and ends once, when the iterator
 * is done, fails, or the caller stops early (`break` / `return()`).
 */
function watchIterator(
  iterator: IteratorLike,
  call: CallSpan,
  operation: string,
  table: unknown,
): void {
  let rows = 0;
  const finish = (error?: unknown) => {
    if (call.ended) return;
    if (error === undefined)
      safely('recording result', () => record(call.span, operation, table, rows));
    call.end(error);
  };
  const wrap = (name: 'next' | 'return' | 'throw', done: boolean) => {
    const method = iterator[name];
    if (typeof method !== 'function') return;
    iterator[name] = function tracedStep(this: unknown, ...args: unknown[]) {
      let step: Promise<IteratorResult<unknown>>;
      try {
        step = method.apply(this, args);
      } catch (error) {
        finish(error);
        throw error;
      }
      step.then(
        (r) => {
          if (!r?.done && name === 'next') rows += rowsOf(r?.value) ?? 0;
          if (r?.done || done) finish();
        },
        (error: unknown) => finish(error),
      );
      return step;
    };
  };
  wrap('next', false);
  wrap('return', true);
  wrap('throw', true);
}

/** `execute()` / `[Symbol.asyncIterator]()`: the same iterator, watched. */
export function tracedIterator(
  tracer: Tracer,
  original: Method,
  query: unknown,
  args: unknown[],
): unknown {
  const plan = planSafely(query);
  const call =
    plan &&
    safely('starting span', () =>
      startCallSpan({ tracer, name: plan.name, attributes: plan.attributes }),
    );
  if (!plan || !call) return original.apply(query, args);
  let iterator: unknown;
  try {
    iterator = otelContext.with(call.context, () => original.apply(query, args));
  } catch (error) {
    call.end(error);
    throw error;
  }
  const watched =
    typeof iterator === 'object' &&
    iterator !== null &&
    safely('watching iterator', () => {
      watchIterator(iterator as IteratorLike, call, plan.operation, plan.table);
      return true;
    });
  if (!watched) call.end();
  return iterator;
}
