import { recordVectorOperation, vectorCallAttributes, vectorCallName } from '@burnrate/core';
import type { Attributes, Span } from '@opentelemetry/api';
import type { DeleteResultLike, MergeResultLike, RowsLike, UpdateResultLike } from './types.ts';

/** `db.system.name` of LanceDB. */
export const DB_SYSTEM = 'lancedb';

/**
 * LanceDB's limit for a vector search without `limit()` (`Query.nearestTo`: "Vector searches
 * always have a `limit`. If `limit` has not been called then a default `limit` of 10 will be used").
 */
export const DEFAULT_SEARCH_LIMIT = 10;

export function spanStart(
  operation: string,
  table: unknown,
  topK?: number,
): { name: string; attributes: Attributes } {
  return {
    name: vectorCallName(operation, table),
    attributes: vectorCallAttributes(DB_SYSTEM, operation, table, topK),
  };
}

export function record(
  span: Span,
  operation: string,
  table: unknown,
  vectors: number | undefined,
): void {
  const collection = typeof table === 'string' ? table : undefined;
  recordVectorOperation(span, { dbSystem: DB_SYSTEM, operation, vectors, collection });
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Rows in what `add` / `mergeInsert().execute` was given: an array of records or Arrow data. */
export function rowsIn(data: unknown): number | undefined {
  if (Array.isArray(data)) return data.length;
  return count((data as RowsLike | null | undefined)?.numRows);
}

export function rowsOf(result: unknown): number | undefined {
  return count((result as RowsLike | null | undefined)?.numRows);
}

export function deletedRows(result: unknown): number | undefined {
  return count((result as DeleteResultLike | null | undefined)?.numDeletedRows);
}

export function updatedRows(result: unknown): number | undefined {
  return count((result as UpdateResultLike | null | undefined)?.rowsUpdated);
}

/** Rows a merge insert touched: inserted + updated + deleted, when it reports them. */
export function mergedRows(result: unknown): number | undefined {
  const r = (result ?? {}) as MergeResultLike;
  const parts = [r.numInsertedRows, r.numUpdatedRows, r.numDeletedRows].map(count);
  if (parts.every((p) => p === undefined)) return undefined;
  return parts.reduce<number>((a, b) => a + (b ?? 0), 0);
}
