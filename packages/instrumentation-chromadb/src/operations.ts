import { count, finiteNumber, type VectorRequest, type VectorResult } from '@burnrate/core';
import type { RecordArgsLike, ResultLike } from './types.ts';

/** One patched collection method: its `db.operation.name`, and what its request and result tell. */
export interface ChromaOperation {
  method: string;
  operation: string;
  /** Writes what the request alone tells (vectors written, `top_k`) into the span's request. */
  request?(args: RecordArgsLike, into: VectorRequest): void;
  result?(value: unknown): VectorResult;
}

const asResult = (v: unknown): ResultLike => (v && typeof v === 'object' ? (v as ResultLike) : {});

/** `ids` is one string or a list of them. */
function idCount(ids: unknown): number | undefined {
  if (typeof ids === 'string') return 1;
  return count(ids);
}

/** Rows returned across every query of a `query` / `search` call (`ids: string[][]`). */
function rows(value: unknown): number | undefined {
  const ids = asResult(value).ids;
  if (!Array.isArray(ids)) return undefined;
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const row: unknown = ids[i];
    if (Array.isArray(row)) n += row.length;
  }
  return n;
}

const written = (args: RecordArgsLike, into: VectorRequest): void => {
  into.vectors = idCount(args.ids);
};

/**
 * Record operations of a Chroma collection. `peek` is `get` underneath (one span, `get`).
 * Self-hosted Chroma has no per-operation price: priced only by a rule in the prices file.
 */
export const OPERATIONS: readonly ChromaOperation[] = [
  { method: 'add', operation: 'add', request: written },
  { method: 'upsert', operation: 'upsert', request: written },
  { method: 'update', operation: 'update', request: written },
  {
    method: 'query',
    operation: 'query',
    request: (args, into) => {
      into.topK = finiteNumber(args.nResults);
    },
    result: (value) => ({ vectors: rows(value) }),
  },
  { method: 'search', operation: 'search', result: (value) => ({ vectors: rows(value) }) },
  { method: 'get', operation: 'get', result: (value) => ({ vectors: count(asResult(value).ids) }) },
  {
    method: 'delete',
    operation: 'delete',
    request: written,
    // 3.x returns the count the server reports (the only count a by-filter delete has); 2.x nothing.
    result: (value) => ({ vectors: finiteNumber(asResult(value).deleted) }),
  },
  { method: 'count', operation: 'count' },
];

/** 2.x's `peek` calls the REST API itself (3.x's calls `get`, already traced). */
export const V2_OPERATIONS: readonly ChromaOperation[] = [
  {
    method: 'peek',
    operation: 'get',
    result: (value) => ({ vectors: count(asResult(value).ids) }),
  },
];
