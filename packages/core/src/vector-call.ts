import type { Attributes, Tracer } from '@opentelemetry/api';
import { recordVectorOperation } from './cost.ts';
import { burnrateLogger } from './fail-open.ts';
import {
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from './semconv.ts';
import { type CallSpan, type TracedCall, traceCallOf } from './span-call.ts';

/** Where a vector-database call goes: `db.system.name` and the server, when the client knows it. */
export interface VectorTarget {
  dbSystem: string;
  address?: string;
  port?: number;
}

/** What the request tells before the call runs. Never the vectors, filters or document text. */
export interface VectorRequest {
  /** `db.operation.name`: one of a fixed set per client (bounded). */
  operation: string;
  /** `db.collection.name` (a span attribute only, never a metric label). */
  collection?: string;
  topK?: number;
  /** Vectors the request writes or deletes, when the request alone says how many. */
  vectors?: number;
}

/** What the response tells: vectors read or written, and provider-reported units. */
export interface VectorResult {
  vectors?: number;
  readUnits?: number;
  writeUnits?: number;
}

export function count(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

const targets = new Map<string, { address?: string; port?: number }>();

/**
 * `host` and `port` of a URL, or nothing for anything that is not one. Remembered per URL (a
 * client's base URL is the same on every call; parsing one costs 8–10 µs); at most 64 kept.
 */
export function urlTarget(url: unknown): { address?: string; port?: number } {
  if (typeof url !== 'string' || url === '') return {};
  const known = targets.get(url);
  if (known) return known;
  let target: { address?: string; port?: number };
  try {
    const u = new URL(url.includes('://') ? url : `https://${url}`);
    const port = u.port ? Number(u.port) : undefined;
    target = Object.freeze({ address: u.hostname.replace(/^\[|\]$/g, ''), port });
  } catch {
    target = Object.freeze({});
  }
  if (targets.size >= 64) targets.clear();
  targets.set(url, target);
  return target;
}

/**
 * The start attributes of a vector-database call's span: `db.system.name`, `db.operation.name`,
 * `db.collection.name` (a non-empty string only), the server when known and `top_k`. Positional
 * arguments and plain stores: nothing allocated per call but the map itself (V8 defines computed
 * keys of a literal one by one at run time).
 */
export function vectorCallAttributes(
  dbSystem: string,
  operation: string,
  collection: unknown,
  topK?: number,
  address?: string,
  port?: number,
): Attributes {
  const attributes: Attributes = {};
  attributes[ATTR_DB_SYSTEM_NAME] = dbSystem;
  attributes[ATTR_DB_OPERATION_NAME] = operation;
  if (typeof collection === 'string' && collection)
    attributes[ATTR_DB_COLLECTION_NAME] = collection;
  if (address) attributes[ATTR_SERVER_ADDRESS] = address;
  if (port) attributes[ATTR_SERVER_PORT] = port;
  if (topK !== undefined) attributes[ATTR_BURNRATE_VECTORDB_TOP_K] = topK;
  return attributes;
}

/** A vector-database call's span name: `{operation} {collection}`, the operation alone without one. */
export function vectorCallName(operation: string, collection: unknown): string {
  return typeof collection === 'string' && collection ? `${operation} ${collection}` : operation;
}

/**
 * Traces one vector-database call: a CLIENT span named `{operation} {collection}` with the
 * database semantic-convention attributes, the vectors read or written, `top_k`, the provider's
 * units and the cost (or `unpriced`). The caller gets the call's own promise and errors.
 */
export function traceVectorCall<R>(
  tracer: Tracer,
  target: VectorTarget,
  request: VectorRequest,
  call: () => R,
  readResult: (value: Awaited<R>) => VectorResult | undefined,
): R {
  const { dbSystem, address, port } = target;
  const { operation, collection, topK } = request;
  const attributes = vectorCallAttributes(dbSystem, operation, collection, topK, address, port);
  const name = vectorCallName(operation, collection);
  return traceCallOf(
    { tracer, name, attributes },
    new VectorCall(target, request, call, readResult),
  );
}

/** One vector call and its result handler, as one object (no closures per call). */
class VectorCall<R> implements TracedCall<R> {
  readonly #target: VectorTarget;
  readonly #request: VectorRequest;
  readonly #readResult: (value: Awaited<R>) => VectorResult | undefined;
  readonly call: () => R;
  constructor(
    target: VectorTarget,
    request: VectorRequest,
    call: () => R,
    readResult: (value: Awaited<R>) => VectorResult | undefined,
  ) {
    this.#target = target;
    this.#request = request;
    this.call = call;
    this.#readResult = readResult;
  }
  onResult(started: CallSpan, value: Awaited<R>): undefined {
    const request = this.#request;
    let result: VectorResult = {};
    try {
      result = this.#readResult(value) ?? {};
    } catch (error) {
      burnrateLogger.warn('reading vector result failed; telemetry may be incomplete', error);
    }
    const vectors = result.vectors ?? request.vectors;
    recordVectorOperation(started.span, {
      dbSystem: this.#target.dbSystem,
      operation: request.operation,
      readUnits: result.readUnits,
      writeUnits: result.writeUnits,
      vectors,
      collection: request.collection,
    });
    return undefined;
  }
}
