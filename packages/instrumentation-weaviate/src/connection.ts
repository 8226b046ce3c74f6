import {
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  recordVectorOperation,
  safely,
  traceCall,
} from '@burnrate/core';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import {
  DB_SYSTEM,
  deletedVectors,
  insertedVectors,
  objectsPath,
  REST_OPERATIONS,
  SEARCH_OPERATIONS,
  searchTopK,
  searchVectors,
} from './operations.ts';
import type { AsyncMethod, ConnectionLike, ObjectPayloadLike } from './types.ts';

export interface Tracing {
  tracer(): Tracer;
  enabled(): boolean;
}

interface Server {
  address?: string;
  port?: number;
}

const instrumented = new WeakSet<object>();

function serverOf(hostPort: unknown): Server {
  if (typeof hostPort !== 'string' || !hostPort) return {};
  const url = safely(
    'parsing server address',
    () => new URL(hostPort.includes('://') ? hostPort : `grpc://${hostPort}`),
  );
  if (!url?.hostname) return {};
  const port = Number(url.port);
  return { address: url.hostname.replace(/^\[|\]$/g, ''), port: port > 0 ? port : undefined };
}

function attributesOf(
  operation: string,
  collection: unknown,
  server: Server,
  topK?: number,
): Attributes {
  const attrs: Attributes = {
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM,
    [ATTR_DB_OPERATION_NAME]: operation,
  };
  if (typeof collection === 'string' && collection) attrs[ATTR_DB_COLLECTION_NAME] = collection;
  if (server.address) attrs[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port) attrs[ATTR_SERVER_PORT] = server.port;
  if (topK !== undefined) attrs[ATTR_BURNRATE_VECTORDB_TOP_K] = topK;
  return attrs;
}

function record(
  span: Span,
  operation: string,
  collection: unknown,
  vectors: number | undefined,
): void {
  if (vectors !== undefined) span.setAttribute(ATTR_BURNRATE_VECTORDB_VECTORS, vectors);
  recordVectorOperation(span, {
    dbSystem: DB_SYSTEM,
    operation,
    vectors,
    collection: typeof collection === 'string' ? collection : undefined,
  });
}

type Counter = (args: unknown, reply: unknown) => number | undefined;

/** Wraps one method field of a gRPC helper (`Searcher`, `Batcher`) in a span per call. */
function traceField(
  tracing: Tracing,
  target: Record<string, unknown>,
  field: string,
  operation: string,
  collection: unknown,
  server: Server,
  counter: Counter,
  topK?: (args: unknown) => number | undefined,
): void {
  const original = target[field];
  if (typeof original !== 'function') return;
  const method = original as AsyncMethod;
  target[field] = function tracedField(this: unknown, ...args: unknown[]) {
    if (!tracing.enabled()) return method.apply(this, args);
    const attributes = safely('reading request', () =>
      attributesOf(operation, collection, server, topK?.(args[0])),
    );
    if (!attributes) return method.apply(this, args);
    const name =
      typeof collection === 'string' && collection ? `${operation} ${collection}` : operation;
    return traceCall(
      { tracer: tracing.tracer(), name, attributes },
      () => method.apply(this, args),
      (call, reply) => {
        record(call.span, operation, collection, counter(args[0], reply));
        return undefined;
      },
    );
  };
}

/** Instruments the helper a connection factory (`search`, `batch`) resolves to. */
function wrapFactory(
  connection: ConnectionLike,
  field: 'search' | 'batch',
  instrument: (helper: Record<string, unknown>, collection: unknown) => void,
): void {
  const factory = connection[field];
  if (typeof factory !== 'function') return;
  connection[field] = function instrumentedFactory(this: unknown, ...args: unknown[]) {
    const pending = factory.apply(this, args);
    return pending.then((helper) => {
      if (typeof helper === 'object' && helper !== null && !instrumented.has(helper)) {
        instrumented.add(helper);
        safely(`instrumenting ${field}`, () =>
          instrument(helper as Record<string, unknown>, args[0]),
        );
      }
      return helper;
    });
  };
}

function wrapRest(tracing: Tracing, connection: ConnectionLike, server: Server): void {
  const target = connection as Record<string, unknown>;
  for (const [field, operation] of Object.entries(REST_OPERATIONS)) {
    const original = target[field];
    if (typeof original !== 'function') continue;
    const method = original as AsyncMethod;
    target[field] = function tracedRest(this: unknown, ...args: unknown[]) {
      if (!tracing.enabled()) return method.apply(this, args);
      const path = safely('reading path', () => objectsPath(args[0]));
      if (!path) return method.apply(this, args);
      const payload = args[1] as ObjectPayloadLike | undefined;
      const collection = path.collection ?? payload?.class;
      const name =
        typeof collection === 'string' && collection ? `${operation} ${collection}` : operation;
      return traceCall(
        { tracer: tracing.tracer(), name, attributes: attributesOf(operation, collection, server) },
        () => method.apply(this, args),
        (call) => {
          record(call.span, operation, collection, 1);
          return undefined;
        },
      );
    };
  }
}

/**
 * Instruments one client connection (weaviate-client v3 keeps its methods as instance fields,
 * so they are wrapped per connection): gRPC searches, gRPC batch inserts and deletes, and the
 * REST single-object writes. Idempotent.
 */
export function instrumentConnection(
  tracing: Tracing,
  connection: ConnectionLike,
  grpcAddress?: unknown,
): void {
  if (instrumented.has(connection)) return;
  instrumented.add(connection);
  const grpc = serverOf(connection.params?.grpcAddress ?? grpcAddress);
  const rest = serverOf(connection.host);
  wrapFactory(connection, 'search', (searcher, collection) => {
    for (const [field, operation] of Object.entries(SEARCH_OPERATIONS)) {
      traceField(
        tracing,
        searcher,
        field,
        operation,
        collection,
        grpc,
        (_a, r) => searchVectors(r),
        searchTopK,
      );
    }
  });
  wrapFactory(connection, 'batch', (batcher, collection) => {
    traceField(tracing, batcher, 'withObjects', 'insert', collection, grpc, insertedVectors);
    traceField(tracing, batcher, 'withDelete', 'delete', collection, grpc, deletedVectors);
  });
  wrapRest(tracing, connection, rest);
}
