import { count, finiteNumber, type VectorResult } from '@burnrate/core';
import type { PointsBodyLike } from './types.ts';

/** One patched `QdrantClient` method: its `db.operation.name`, and what its request and result tell. */
export interface QdrantOperation {
  method: string;
  operation: string;
  /** Vectors written or deleted, and `top_k`, from the method's options (its second argument). */
  request?(body: PointsBodyLike): { vectors?: number; topK?: number };
  /** Vectors read, from the resolved `result` of the REST response. */
  result?(value: unknown): VectorResult;
}

const asBody = (v: unknown): PointsBodyLike =>
  v && typeof v === 'object' ? (v as PointsBodyLike) : {};

/** Points a write names: a list of points or ids (a filter selector gives no count). */
function writtenPoints(body: PointsBodyLike): number | undefined {
  return Array.isArray(body.points)
    ? body.points.length
    : Array.isArray(body.batch?.ids)
      ? body.batch.ids.length
      : undefined;
}

const limit = (body: PointsBodyLike) => ({ topK: finiteNumber(body.limit) });

/** All searches of a batch ask for the same number of results: that is its `top_k`. */
function batchLimit(body: PointsBodyLike): { topK?: number } {
  if (!Array.isArray(body.searches) || body.searches.length === 0) return {};
  const limits = new Set(body.searches.map((s) => finiteNumber(asBody(s).limit)));
  const [only] = limits;
  return limits.size === 1 && only !== undefined ? { topK: only } : {};
}

function points(value: unknown): number | undefined {
  return count((value as { points?: unknown } | null)?.points);
}

function groupHits(value: unknown): number | undefined {
  const groups = (value as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) return undefined;
  return groups.reduce(
    (n: number, g) => n + (count((g as { hits?: unknown } | null)?.hits) ?? 0),
    0,
  );
}

function sum(list: unknown, each: (item: unknown) => number | undefined): number | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.reduce((n: number, item) => n + (each(item) ?? 0), 0);
}

/** `batch_update`: points named by each upsert, delete and vector update in the batch. */
function batchWritten(body: PointsBodyLike): number | undefined {
  return sum(body.operations, (op) => {
    if (!op || typeof op !== 'object') return undefined;
    const inner = Object.values(op)[0];
    return writtenPoints(asBody(inner));
  });
}

const read = (vectors: (value: unknown) => number | undefined) => (value: unknown) => ({
  vectors: vectors(value),
});
const written = (body: PointsBodyLike) => ({ vectors: writtenPoints(body) });

/**
 * Point operations of `QdrantClient` 1.x (1.13+: query API; up to 1.15 also the older
 * search/recommend/discover methods). Collection and snapshot management are not traced.
 */
export const OPERATIONS: readonly QdrantOperation[] = [
  { method: 'query', operation: 'query', request: limit, result: read(points) },
  {
    method: 'queryBatch',
    operation: 'query_batch',
    request: batchLimit,
    result: read((v) => sum(v, points)),
  },
  { method: 'queryGroups', operation: 'query_groups', request: limit, result: read(groupHits) },
  { method: 'search', operation: 'search', request: limit, result: read(count) },
  {
    method: 'searchBatch',
    operation: 'search_batch',
    request: batchLimit,
    result: read((v) => sum(v, count)),
  },
  {
    method: 'searchPointGroups',
    operation: 'search_groups',
    request: limit,
    result: read(groupHits),
  },
  { method: 'recommend', operation: 'recommend', request: limit, result: read(count) },
  {
    method: 'recommendBatch',
    operation: 'recommend_batch',
    request: batchLimit,
    result: read((v) => sum(v, count)),
  },
  {
    method: 'recommendPointGroups',
    operation: 'recommend_groups',
    request: limit,
    result: read(groupHits),
  },
  { method: 'discoverPoints', operation: 'discover', request: limit, result: read(count) },
  {
    method: 'discoverBatchPoints',
    operation: 'discover_batch',
    request: batchLimit,
    result: read((v) => sum(v, count)),
  },
  { method: 'retrieve', operation: 'retrieve', result: read(count) },
  { method: 'scroll', operation: 'scroll', result: read(points) },
  { method: 'count', operation: 'count' },
  { method: 'upsert', operation: 'upsert', request: written },
  { method: 'delete', operation: 'delete', request: written },
  { method: 'updateVectors', operation: 'update_vectors', request: written },
  { method: 'deleteVectors', operation: 'delete_vectors', request: written },
  { method: 'setPayload', operation: 'set_payload', request: written },
  { method: 'overwritePayload', operation: 'overwrite_payload', request: written },
  { method: 'deletePayload', operation: 'delete_payload', request: written },
  { method: 'clearPayload', operation: 'clear_payload', request: written },
  {
    method: 'batchUpdate',
    operation: 'batch_update',
    request: (b) => ({ vectors: batchWritten(b) }),
  },
];
