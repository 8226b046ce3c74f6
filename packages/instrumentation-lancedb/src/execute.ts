import { type CallSpan, safely, startCallSpan, traceCall } from '@burnrate/core';
import { context as otelContext, type Tracer } from '@opentelemetry/api';
import { stateOf } from './query-state.ts';
import { DEFAULT_SEARCH_LIMIT, record, rowsOf, spanStart } from './record.ts';
import type { IteratorLike, Method } from './types.ts';

function planOf(query: unknown) {
  const state = typeof query === 'object' && query !== null ? stateOf(query) : undefined;
  const operation = state?.kind ?? 'query';
  const topK = state?.limit ?? (state?.vector ? DEFAULT_SEARCH_LIMIT : undefined);
  return { operation, table: state?.table, ...spanStart(operation, state?.table, topK) };
}

/** `toArrow()` (which `toArray()` calls): one span, the rows of the Arrow table it resolves to. */
export function tracedToArrow(
  tracer: Tracer,
  original: Method,
  query: unknown,
  args: unknown[],
): unknown {
  const plan = safely('reading query', () => planOf(query));
  if (!plan) return original.apply(query, args);
  return traceCall(
    { tracer, name: plan.name, attributes: plan.attributes },
    () => original.apply(query, args),
    (call, table) => {
      record(call.span, plan.operation, plan.table, rowsOf(table));
      return undefined;
    },
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
  const plan = safely('reading query', () => planOf(query));
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
