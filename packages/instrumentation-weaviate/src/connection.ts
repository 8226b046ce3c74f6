import { burnrateLogger, safely, traceCallOf } from '@burnrate/core';
import type { Tracer } from '@opentelemetry/api';
import {
  deletedVectors,
  insertedVectors,
  objectsPath,
  REST_OPERATIONS,
  SEARCH_OPERATIONS,
  searchTopK,
  searchVectors,
} from './operations.ts';
import { attributesOf, type Counter, FieldCall, oneVector, type Server } from './traced-call.ts';
import type { AsyncMethod, ConnectionLike, ObjectPayloadLike } from './types.ts';

export interface Tracing {
  tracer(): Tracer;
  enabled(): boolean;
}

const instrumented = new WeakSet<object>();

/**
 * Marks the gRPC helpers (`Searcher`, `Batcher`) already instrumented. The client makes a new
 * helper for every search, so this is read on every one: a symbol-keyed property costs less there
 * than a WeakSet (a helper is the client's own object, never handed to the caller).
 */
const HELPER_MARK = Symbol('burnrate: weaviate helper instrumented');

/** The searcher's fields and their operations, read once rather than per searcher. */
const SEARCH_FIELDS = Object.keys(SEARCH_OPERATIONS);
const SEARCH_NAMES = SEARCH_FIELDS.map((field) => SEARCH_OPERATIONS[field]);
const REST_ENTRIES = Object.entries(REST_OPERATIONS);

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

/** What every traced field of one helper shares: made once per helper, not per field or call. */
interface HelperSite {
  tracing: Tracing;
  collection: unknown;
  server: Server;
}

const searchCount: Counter = (_args, reply) => searchVectors(reply);

/** Wraps one method field of a gRPC helper (`Searcher`, `Batcher`) in a span per call. */
function traceField(
  site: HelperSite,
  original: AsyncMethod,
  operation: string,
  counter: Counter,
  topK?: (args: unknown) => number | undefined,
): AsyncMethod {
  return function tracedField(this: unknown, ...args: unknown[]) {
    if (!site.tracing.enabled()) return original.apply(this, args);
    let attributes: ReturnType<typeof attributesOf>;
    try {
      attributes = attributesOf(operation, site.collection, site.server, topK?.(args[0]));
    } catch (error) {
      burnrateLogger.warn(
        'reading request failed; telemetry for this call may be incomplete',
        error,
      );
      return original.apply(this, args);
    }
    const collection = site.collection;
    const name =
      typeof collection === 'string' && collection ? `${operation} ${collection}` : operation;
    return traceCallOf(
      { tracer: site.tracing.tracer(), name, attributes },
      new FieldCall(original, this, args, operation, collection, counter),
    );
  };
}

function instrumentSearcher(
  tracing: Tracing,
  server: Server,
  searcher: Record<string, unknown>,
  collection: unknown,
): void {
  const site: HelperSite = { tracing, collection, server };
  for (let i = 0; i < SEARCH_FIELDS.length; i++) {
    const original = searcher[SEARCH_FIELDS[i]];
    if (typeof original !== 'function') continue;
    searcher[SEARCH_FIELDS[i]] = traceField(
      site,
      original as AsyncMethod,
      SEARCH_NAMES[i],
      searchCount,
      searchTopK,
    );
  }
}

/** True the first time a helper is seen (marked then; a sealed one is remembered in a WeakSet). */
function firstSight(helper: Record<string | symbol, unknown>): boolean {
  if (helper[HELPER_MARK] === true) return false;
  if (Object.isExtensible(helper)) {
    helper[HELPER_MARK] = true;
    return true;
  }
  if (instrumented.has(helper)) return false;
  instrumented.add(helper);
  return true;
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
    const collection = args[0];
    return factory.apply(this, args).then((helper) => {
      if (typeof helper === 'object' && helper !== null) {
        safely(`instrumenting ${field}`, () => {
          if (firstSight(helper as Record<string | symbol, unknown>))
            instrument(helper as Record<string, unknown>, collection);
        });
      }
      return helper;
    });
  };
}

function wrapRest(tracing: Tracing, connection: ConnectionLike, server: Server): void {
  const target = connection as Record<string, unknown>;
  for (const [field, operation] of REST_ENTRIES) {
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
      return traceCallOf(
        { tracer: tracing.tracer(), name, attributes: attributesOf(operation, collection, server) },
        new FieldCall(method, this, args, operation, collection, oneVector),
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
  wrapFactory(connection, 'search', (searcher, collection) =>
    instrumentSearcher(tracing, grpc, searcher, collection),
  );
  wrapFactory(connection, 'batch', (batcher, collection) => {
    const site: HelperSite = { tracing, collection, server: grpc };
    for (const [field, operation, counter] of [
      ['withObjects', 'insert', insertedVectors],
      ['withDelete', 'delete', deletedVectors],
    ] as const) {
      const original = batcher[field];
      if (typeof original === 'function')
        batcher[field] = traceField(site, original as AsyncMethod, operation, counter);
    }
  });
  wrapRest(tracing, connection, rest);
}
