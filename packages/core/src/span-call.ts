import {
  type Attributes,
  type Context,
  context as otelContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { attributionScope, inboundRoute, writeScopeAttributes } from './attribution.ts';
import { markedParent } from './call-marker.ts';
import { warmPricing } from './cost.ts';
import { burnrateLogger } from './fail-open.ts';
import { attachDecisions, type GateDecision, releaseDecisions } from './gate.ts';
import { ATTR_BURNRATE_STREAM_ABANDONED, ATTR_ERROR_TYPE } from './semconv.ts';
import { isEndingAbandonedStream } from './stream-watch.ts';

export interface CallSpanOptions {
  tracer: Tracer;
  /** `{operation} {model}`, as the GenAI conventions name spans. */
  name: string;
  attributes: Attributes;
  kind?: SpanKind;
  /** Budget gates' decisions for this call, settled when its usage is recorded (see gate.ts). */
  decisions?: readonly GateDecision[];
}

/** A started span that ends exactly once, whatever path the call takes. */
export interface CallSpan {
  readonly span: Span;
  /** The context with this span active (run the real call in it). */
  readonly context: Context;
  readonly ended: boolean;
  /** Ends the span; with an error, records it and sets the status. Later calls do nothing. */
  end(error?: unknown): void;
}

/**
 * The span's attributes with the call's attribution and agent facts (same values and precedence
 * as `attributionAttributes`): the caller's object is copied only when there is something to add.
 */
function withAttribution(attributes: Attributes, parent: Context): Attributes {
  const scope = attributionScope();
  const endpoint = scope?.endpoint || inboundRoute(parent);
  if (!scope && !endpoint) return attributes;
  const extra: Attributes = {};
  if (!writeScopeAttributes(scope, endpoint, extra, attributes)) return attributes;
  return { ...attributes, ...extra };
}

/** One per call: a class rather than closures, to keep what a call allocates small. */
class StartedCall implements CallSpan {
  readonly span: Span;
  readonly context: Context;
  ended = false;
  constructor(span: Span, ctx: Context) {
    this.span = span;
    this.context = ctx;
  }
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const span = this.span;
    try {
      if (error !== undefined) recordError(span, error);
      // A stream nobody read (stream-watch.ts): ended with what is known, and marked.
      if (isEndingAbandonedStream()) span.setAttribute(ATTR_BURNRATE_STREAM_ABANDONED, true);
      releaseDecisions(span);
      span.end();
    } catch (e) {
      burnrateLogger.warn('ending span failed; telemetry for this call may be incomplete', e);
    }
  }
}

export function startCallSpan(options: CallSpanOptions): CallSpan {
  warmPricing(options.attributes);
  const parent = otelContext.active();
  const span = options.tracer.startSpan(
    options.name,
    {
      kind: options.kind ?? SpanKind.CLIENT,
      attributes: withAttribution(options.attributes, parent),
    },
    parent,
  );
  const ctx = trace.setSpan(markedParent(parent), span);
  if (options.decisions) attachDecisions(span, options.decisions);
  return new StartedCall(span, ctx);
}

export function recordError(span: Span, error: unknown): void {
  const type = (error as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'Error';
  span.setAttribute(ATTR_ERROR_TYPE, type === 'Object' ? 'Error' : type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** What to do once the call's promise resolves. Return `'open'` when a stream now owns the span. */
export type OnResult<T> = (call: CallSpan, value: T) => 'open' | undefined;

/**
 * Attaches Burnrate's handlers to a call's result and returns what the caller gets. `onValue`
 * must be called with the resolved value and returns it unchanged; `onError` with a rejection.
 */
export type Observe<R> = (
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
) => R;

interface Thenable {
  then(onFulfilled: (value: unknown) => unknown, onRejected: (reason: unknown) => unknown): unknown;
}

export function isThenable(value: unknown): value is Thenable {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Default observer: watches a promise from the side and hands the caller the same object. */
export function observeFromSide<R>(
  result: R,
  onValue: <T>(value: T) => T,
  onError: (error: unknown) => void,
): R {
  if (!isThenable(result)) {
    onValue(result);
    return result;
  }
  result.then(onValue, onError);
  return result;
}

/** The call and its result handler, as one object (a model call passes itself: no closures). */
export interface TracedCall<R> {
  call(): R;
  onResult(call: CallSpan, value: Awaited<R>): 'open' | undefined;
}

/** `traceCall`'s closures as a `TracedCall`. */
class ClosureCall<R> implements TracedCall<R> {
  readonly call: () => R;
  readonly onResult: OnResult<Awaited<R>>;
  constructor(call: () => R, onResult: OnResult<Awaited<R>>) {
    this.call = call;
    this.onResult = onResult;
  }
}

/**
 * Traces one client call. The caller gets back what `call` returned (by default the very same
 * promise object, with any extra methods such as `withResponse()`), and exactly its errors. A
 * failure in Burnrate's own code ends the span and is swallowed.
 */
export function traceCall<R>(
  options: CallSpanOptions,
  call: () => R,
  onResult: OnResult<Awaited<R>>,
  observe: Observe<R> = observeFromSide,
): R {
  return traceCallOf(options, new ClosureCall(call, onResult), observe);
}

/** `traceCall` with the call and its result handler in one object. */
export function traceCallOf<R>(
  options: CallSpanOptions,
  target: TracedCall<R>,
  observe: Observe<R> = observeFromSide,
): R {
  let started: CallSpan;
  try {
    started = startCallSpan(options);
  } catch (error) {
    burnrateLogger.warn('starting span failed; telemetry for this call may be incomplete', error);
    return target.call();
  }
  let result: R;
  try {
    result = otelContext.with(started.context, target.call, target);
  } catch (error) {
    started.end(error);
    throw error;
  }
  const onValue = <T>(value: T): T => {
    let keep: 'open' | undefined;
    try {
      keep = target.onResult(started, value as Awaited<R>);
    } catch (error) {
      burnrateLogger.warn(
        'recording result failed; telemetry for this call may be incomplete',
        error,
      );
    }
    if (keep !== 'open') started.end();
    return value;
  };
  try {
    const observed = observe(result, onValue, (error) => started.end(error));
    return observed === undefined ? result : observed;
  } catch (error) {
    burnrateLogger.warn('observing call failed; telemetry for this call may be incomplete', error);
    return result;
  }
}
