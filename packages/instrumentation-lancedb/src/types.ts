/** The parts of `@lancedb/lancedb` this instrumentation touches (structural, no SDK types). */

export type Method = (this: unknown, ...args: unknown[]) => unknown;

export interface ClassLike {
  prototype: object;
}

/** The package's exports (CJS `module.exports`, or an ESM namespace whose `default` is it). */
export interface LanceModuleLike {
  Query?: ClassLike;
  VectorQuery?: ClassLike;
  QueryBase?: ClassLike;
  TakeQuery?: ClassLike;
  AutoQuery?: ClassLike;
  MergeInsertBuilder?: ClassLike;
  Table?: ClassLike;
  default?: unknown;
}

export interface TableLike {
  name?: unknown;
}

/** An Arrow table or record batch. */
export interface RowsLike {
  numRows?: unknown;
}

export interface DeleteResultLike {
  numDeletedRows?: unknown;
}

export interface UpdateResultLike {
  rowsUpdated?: unknown;
}

export interface MergeResultLike {
  numInsertedRows?: unknown;
  numUpdatedRows?: unknown;
  numDeletedRows?: unknown;
}

export interface IteratorLike {
  next?: (...args: unknown[]) => Promise<IteratorResult<unknown>>;
  return?: (...args: unknown[]) => Promise<IteratorResult<unknown>>;
  throw?: (...args: unknown[]) => Promise<IteratorResult<unknown>>;
}
