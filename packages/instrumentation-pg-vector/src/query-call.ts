import {
  burnrateLogger,
  type CallSpan,
  safely,
  startCallSpan,
  type TracedCall,
  traceCallOf,
} from '@burnrate/core';
import { type Attributes, context as otelContext, type Tracer } from '@opentelemetry/api';
import { recordStatement, startAttributes, vectorsOf } from './record.ts';
import { classifySql, type VectorStatement } from './sql.ts';
import type {
  Callback,
  ClientLike,
  QueryConfigLike,
  QueryMethod,
  SubmittableLike,
} from './types.ts';

interface Planned {
  statement: VectorStatement;
  name: string;
  attributes: Attributes;
}

/** The statement of `client.query(config, values)`, when it is a pgvector one. */
function plan(client: ClientLike, config: unknown, values: unknown): Planned | undefined {
  let text: unknown = config;
  let params: unknown = values;
  if (typeof config === 'object' && config !== null) {
    const c = config as QueryConfigLike;
    text = c.text;
    if (!Array.isArray(params)) params = c.values;
  }
  if (typeof text !== 'string') return undefined;
  const statement = classifySql(text, Array.isArray(params) ? params : undefined);
  if (!statement) return undefined;
  const start = startAttributes(client, statement);
  return { statement, name: start.name, attributes: start.attributes };
}

/** `plan`, failing open (what `safely` does, without a closure per query: plain SQL runs it too). */
function planSafely(client: ClientLike, config: unknown, values: unknown): Planned | undefined {
  try {
    return plan(client, config, values);
  } catch (error) {
    burnrateLogger.warn(
      'classifying query failed; telemetry for this call may be incomplete',
      error,
    );
    return undefined;
  }
}

/** A promise-form query: the call and its result handler as one object (no closures per call). */
class PromiseQuery implements TracedCall<unknown> {
  readonly #original: QueryMethod;
  readonly #client: ClientLike;
  readonly #args: unknown[];
  readonly #statement: VectorStatement;
  constructor(
    original: QueryMethod,
    client: ClientLike,
    args: unknown[],
    statement: VectorStatement,
  ) {
    this.#original = original;
    this.#client = client;
    this.#args = args;
    this.#statement = statement;
  }
  call(): unknown {
    return this.#original.apply(this.#client, this.#args);
  }
  onResult(call: CallSpan, result: unknown): undefined {
    const statement = this.#statement;
    recordStatement(call.span, statement, vectorsOf(statement.operation, result));
    return undefined;
  }
}

function isSubmittable(config: unknown): config is SubmittableLike {
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof (config as QueryConfigLike).submit === 'function'
  );
}

/** Ends the span from the submittable's own protocol handlers (own properties on the instance). */
function watchSubmittable(q: SubmittableLike, call: CallSpan, statement: VectorStatement): boolean {
  const { handleDataRow, handleCommandComplete, handleReadyForQuery, handleError } = q;
  if (typeof handleReadyForQuery !== 'function' || typeof handleError !== 'function') return false;
  let rows = 0;
  let written: number | undefined;
  if (typeof handleDataRow === 'function') {
    q.handleDataRow = function countedDataRow(this: unknown, ...args: unknown[]) {
      rows++;
      return handleDataRow.apply(this, args);
    };
  }
  if (typeof handleCommandComplete === 'function') {
    q.handleCommandComplete = function countedCommandComplete(this: unknown, msg, ...rest) {
      safely('reading command tag', () => {
        const n = Number(/(\d+)\s*$/.exec(String(msg?.text ?? ''))?.[1]);
        if (Number.isFinite(n)) written = (written ?? 0) + n;
      });
      return handleCommandComplete.call(this, msg, ...rest);
    };
  }
  q.handleReadyForQuery = function tracedReadyForQuery(this: unknown, ...args: unknown[]) {
    if (!call.ended) {
      safely('recording result', () =>
        recordStatement(
          call.span,
          statement,
          statement.operation === 'vector_search' ? rows : written,
        ),
      );
    }
    call.end();
    return handleReadyForQuery.apply(this, args);
  };
  q.handleError = function tracedError(this: unknown, error: unknown, ...rest: unknown[]) {
    call.end(error);
    return handleError.call(this, error, ...rest);
  };
  return true;
}

function wrapCallback(callback: Callback, call: CallSpan, statement: VectorStatement): Callback {
  return function tracedCallback(this: unknown, error: unknown, result?: unknown) {
    if (error) call.end(error);
    else {
      safely('recording result', () =>
        recordStatement(call.span, statement, vectorsOf(statement.operation, result)),
      );
      call.end();
    }
    return callback.call(this, error, result);
  };
}

/** `Client.prototype.query`, traced when the statement is a pgvector one; plain SQL passes through. */
export function tracedQuery(
  tracer: Tracer,
  original: QueryMethod,
  client: ClientLike,
  args: unknown[],
): unknown {
  const config = args[0];
  const values = args[1];
  const planned = planSafely(client, config, values);
  if (!planned) return original.apply(client, args);
  const options = { tracer, name: planned.name, attributes: planned.attributes };
  const statement = planned.statement;

  const cb =
    typeof values === 'function'
      ? 1
      : typeof args[2] === 'function'
        ? 2
        : isSubmittable(config)
          ? -1
          : 0;
  if (cb === 0) {
    // Promise form: the caller gets the very same promise.
    return traceCallOf(options, new PromiseQuery(original, client, args, statement));
  }
  const call = safely('starting span', () => startCallSpan(options));
  if (!call) return original.apply(client, args);
  const callArgs = [...args];
  if (cb > 0) {
    const wrapped = safely('wrapping callback', () =>
      wrapCallback(args[cb] as Callback, call, statement),
    );
    if (wrapped) callArgs[cb] = wrapped;
  } else if (
    !safely('watching submittable', () =>
      watchSubmittable(config as SubmittableLike, call, statement),
    )
  ) {
    call.end();
    return original.apply(client, args);
  }
  try {
    return otelContext.with(call.context, () => original.apply(client, callArgs));
  } catch (error) {
    call.end(error);
    throw error;
  }
}
