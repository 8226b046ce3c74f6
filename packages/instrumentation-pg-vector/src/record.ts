import {
  ATTR_DB_NAMESPACE,
  recordVectorOperation,
  vectorCallAttributes,
  vectorCallName,
} from '@burnrate/core';
import type { Attributes, Span } from '@opentelemetry/api';
import type { VectorStatement } from './sql.ts';
import type { ClientLike, PgResultLike } from './types.ts';

/** `db.system.name` of PostgreSQL in the database semantic conventions. */
export const DB_SYSTEM = 'postgresql';

/** Span name and start attributes of one pgvector statement. */
export function startAttributes(
  client: ClientLike,
  statement: VectorStatement,
): { name: string; attributes: Attributes } {
  const { operation, table, topK } = statement;
  const host = typeof client.host === 'string' ? client.host : undefined;
  const port = Number(client.port);
  const attributes = vectorCallAttributes(
    DB_SYSTEM,
    operation,
    table,
    topK,
    host,
    Number.isInteger(port) && port > 0 ? port : undefined,
  );
  if (typeof client.database === 'string' && client.database)
    attributes[ATTR_DB_NAMESPACE] = client.database;
  return { name: vectorCallName(operation, table), attributes };
}

function rowsOf(operation: string, result: PgResultLike): number | undefined {
  if (operation === 'vector_search' && Array.isArray(result.rows)) return result.rows.length;
  return typeof result.rowCount === 'number' ? result.rowCount : undefined;
}

/**
 * Vectors read (rows a search returned) or written (rows an insert, upsert, update or delete
 * touched). A multi-statement query returns one result per statement: their sum.
 */
export function vectorsOf(operation: string, result: unknown): number | undefined {
  if (!Array.isArray(result)) return rowsIn(operation, result);
  let total: number | undefined;
  for (const r of result) {
    const n = rowsIn(operation, r);
    if (n !== undefined) total = (total ?? 0) + n;
  }
  return total;
}

function rowsIn(operation: string, r: unknown): number | undefined {
  return r && typeof r === 'object' ? rowsOf(operation, r as PgResultLike) : undefined;
}

/** Records the vectors and the cost (or `unpriced`) of a statement that succeeded. */
export function recordStatement(
  span: Span,
  statement: VectorStatement,
  vectors: number | undefined,
): void {
  recordVectorOperation(span, {
    dbSystem: DB_SYSTEM,
    operation: statement.operation,
    vectors,
    collection: statement.table,
  });
}
