import {
  ATTR_BURNRATE_VECTORDB_TOP_K,
  ATTR_BURNRATE_VECTORDB_VECTORS,
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  recordVectorOperation,
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
  // Plain stores rather than computed keys in a literal (V8 defines those one by one at run time).
  const attributes: Attributes = {};
  attributes[ATTR_DB_SYSTEM_NAME] = DB_SYSTEM;
  attributes[ATTR_DB_OPERATION_NAME] = statement.operation;
  if (statement.table) attributes[ATTR_DB_COLLECTION_NAME] = statement.table;
  if (typeof client.database === 'string' && client.database)
    attributes[ATTR_DB_NAMESPACE] = client.database;
  if (typeof client.host === 'string' && client.host) attributes[ATTR_SERVER_ADDRESS] = client.host;
  const port = Number(client.port);
  if (Number.isInteger(port) && port > 0) attributes[ATTR_SERVER_PORT] = port;
  if (statement.topK !== undefined) attributes[ATTR_BURNRATE_VECTORDB_TOP_K] = statement.topK;
  const name = statement.table ? `${statement.operation} ${statement.table}` : statement.operation;
  return { name, attributes };
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
  if (vectors !== undefined) span.setAttribute(ATTR_BURNRATE_VECTORDB_VECTORS, vectors);
  recordVectorOperation(span, {
    dbSystem: DB_SYSTEM,
    operation: statement.operation,
    vectors,
    collection: statement.table,
  });
}
