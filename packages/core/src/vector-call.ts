import type { Attributes, Tracer } from '@opentelemetry/api';
import { recordVectorOperation } from './cost.ts';
import { burnrateLogger } from './fail-open.ts';
import {
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
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
  // Plain stores rather than computed keys in a literal (V8 defines those one by one at run time).
  const attributes: Attributes = {};
  attributes[ATTR_DB_SYSTEM_NAME] = target.dbSystem;
  attributes[ATTR_DB_OPERATION_NAME] = request.operation;
  if (request.collection) attributes[ATTR_DB_COLLECTION_NAME] = request.collection;
  if (target.address) attributes[ATTR_SERVER_ADDRESS] = target.address;
  if (target.port !== undefined) attributes[ATTR_SERVER_PORT] = target.port;
  if (request.topK !== undefined) attributes[ATTR_BURNRATE_VECTORDB_TOP_K] = request.topK;
  const name = request.collection
    ? `${request.operation} ${request.collection}`
    : request.operation;
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
    if (vectors !== undefined) started.span.setAttribute(ATTR_BURNRATE_VECTORDB_VECTORS, vectors);
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
