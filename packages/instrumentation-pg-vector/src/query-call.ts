import { type CallSpan, safely, startCallSpan, traceCall } from '@burnrate/core';
import { context as otelContext, type Tracer } from '@opentelemetry/api';
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
  attributes: ReturnType<typeof startAttributes>['attributes'];
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
  return { statement, ...startAttributes(client, statement) };
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
  const [config, values, callback] = args;
  const planned = safely('classifying query', () => plan(client, config, values));
  if (!planned) return original.apply(client, args);
  const options = { tracer, name: planned.name, attributes: planned.attributes };
  const { statement } = planned;

  const cb =
    typeof values === 'function'
      ? 1
      : typeof callback === 'function'
        ? 2
        : isSubmittable(config)
          ? -1
          : 0;
  if (cb === 0) {
    // Promise form: the caller gets the very same promise.
    return traceCall(
      options,
      () => original.apply(client, args),
      (call, result) => {
        recordStatement(call.span, statement, vectorsOf(statement.operation, result));
        return undefined;
      },
    );
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
