import { count, finiteNumber, type VectorResult } from '@burnrate/core';
import type { DocumentsResponseLike, ReadResponseLike } from './types.ts';

/** One patched `Index` method: its `db.operation.name`, and what its request and response tell. */
export interface PineconeOperation {
  method: string;
  operation: string;
  /** Vectors written or deleted, and `top_k`, from the method's first argument. */
  request?(arg: unknown): { vectors?: number; topK?: number };
  /** Vectors read and read units, from the resolved value. */
  result?(value: unknown): VectorResult;
}

function field(arg: unknown, name: string): unknown {
  return arg && typeof arg === 'object' ? (arg as Record<string, unknown>)[name] : undefined;
}

/** 8.x+ take `{ records }` / `{ ids }`; earlier majors took the array itself. */
function listArg(arg: unknown, name: string): number | undefined {
  return Array.isArray(arg) ? arg.length : count(field(arg, name));
}

function readResult(
  value: unknown,
  vectors: (r: ReadResponseLike) => number | undefined,
): VectorResult {
  const r = (value ?? {}) as ReadResponseLike;
  return { vectors: vectors(r), readUnits: finiteNumber(r.usage?.readUnits) };
}

/**
 * Data-plane methods of `Index`. Pinecone reports read units on query, fetch, list and search
 * responses (`usage.readUnits`, priced per unit); it reports no write units, so writes carry the
 * vector count and are priced only by a per-vector or per-operation rule in the prices file.
 */
export const OPERATIONS: readonly PineconeOperation[] = [
  {
    method: 'query',
    operation: 'query',
    request: (arg) => ({ topK: finiteNumber(field(arg, 'topK')) }),
    result: (value) => readResult(value, (r) => count(r.matches)),
  },
  {
    method: 'upsert',
    operation: 'upsert',
    request: (arg) => ({ vectors: listArg(arg, 'records') }),
  },
  {
    method: 'upsertRecords',
    operation: 'upsert',
    request: (arg) => ({ vectors: listArg(arg, 'records') }),
  },
  {
    method: 'fetch',
    operation: 'fetch',
    result: (value) => readResult(value, (r) => count(r.records)),
  },
  {
    method: 'fetchByMetadata',
    operation: 'fetch',
    result: (value) => readResult(value, (r) => count(r.records)),
  },
  {
    method: 'update',
    operation: 'update',
    request: (arg) => ({ vectors: field(arg, 'id') !== undefined ? 1 : undefined }),
  },
  { method: 'deleteOne', operation: 'delete', request: () => ({ vectors: 1 }) },
  {
    method: 'deleteMany',
    operation: 'delete',
    request: (arg) => ({ vectors: listArg(arg, 'ids') }),
  },
  { method: 'deleteAll', operation: 'delete' },
  {
    method: 'listPaginated',
    operation: 'list',
    result: (value) => readResult(value, (r) => count(r.vectors)),
  },
  {
    method: 'searchRecords',
    operation: 'search',
    request: (arg) => ({ topK: finiteNumber(field(field(arg, 'query'), 'topK')) }),
    result: (value) => readResult(value, (r) => count(r.result?.hits)),
  },
  { method: 'describeIndexStats', operation: 'describe_index_stats' },
];

function documentsResult(
  value: unknown,
  vectors: (r: DocumentsResponseLike) => unknown,
): VectorResult {
  const r = (value ?? {}) as DocumentsResponseLike;
  return { vectors: finiteNumber(vectors(r)), readUnits: finiteNumber(r.usage?.readUnits) };
}

/**
 * 9.x document operations (`index.documents.*`; the deprecated `index.*Documents` methods call
 * these). Read units come back on search, fetch and list.
 */
export const DOCUMENT_OPERATIONS: readonly PineconeOperation[] = [
  {
    method: 'search',
    operation: 'search',
    request: (arg) => ({ topK: finiteNumber(field(arg, 'topK')) }),
    result: (value) => documentsResult(value, (r) => count(r.matches)),
  },
  {
    method: 'fetch',
    operation: 'fetch',
    result: (value) => documentsResult(value, (r) => count(r.documents)),
  },
  {
    method: 'list',
    operation: 'list',
    result: (value) => documentsResult(value, (r) => count(r.documents)),
  },
  {
    method: 'upsert',
    operation: 'upsert',
    request: (arg) => ({ vectors: listArg(arg, 'documents') }),
    result: (value) => documentsResult(value, (r) => r.upsertedCount),
  },
  {
    method: 'update',
    operation: 'update',
    request: (arg) => ({ vectors: listArg(arg, 'documents') }),
    result: (value) => documentsResult(value, (r) => r.matchedRecords),
  },
  {
    method: 'delete',
    operation: 'delete',
    request: (arg) => ({ vectors: listArg(arg, 'ids') }),
    result: (value) => documentsResult(value, (r) => r.matchedRecords),
  },
];
