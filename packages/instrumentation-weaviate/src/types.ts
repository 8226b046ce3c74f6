/** The parts of weaviate-client v3 this instrumentation touches (structural, no SDK types). */

export type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/** `ConnectionGRPC` (exported class); `use` is a static arrow-function field. */
export interface ConnectionGrpcClassLike {
  use?: (params: unknown) => unknown;
}

/** A connection instance: its methods are arrow-function fields on the instance. */
export interface ConnectionLike {
  host?: unknown;
  params?: { grpcAddress?: unknown };
  search?: AsyncMethod;
  batch?: AsyncMethod;
  postReturn?: AsyncMethod;
  delete?: AsyncMethod;
  put?: AsyncMethod;
  patch?: AsyncMethod;
}

/** What `ConnectionGRPC.use` returns (or resolves to). */
export interface UseResultLike {
  connection?: ConnectionLike;
}

export interface WeaviateModuleLike {
  ConnectionGRPC?: ConnectionGrpcClassLike;
  default?: unknown;
}

/** `SearchRequest` fields read for attributes (never the vectors or the query text). */
export interface SearchArgsLike {
  limit?: unknown;
  generative?: unknown;
  groupBy?: unknown;
}

export interface SearchReplyLike {
  results?: unknown[];
  groupByResults?: { objects?: unknown[] }[];
}

export interface BatchObjectsArgsLike {
  objects?: unknown[];
}

export interface BatchObjectsReplyLike {
  errors?: unknown[];
}

export interface BatchDeleteArgsLike {
  dryRun?: unknown;
}

export interface BatchDeleteReplyLike {
  successful?: unknown;
  matches?: unknown;
}

export interface ObjectPayloadLike {
  class?: unknown;
}
