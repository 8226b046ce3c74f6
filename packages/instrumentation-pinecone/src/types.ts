/** Minimal structural types of `@pinecone-database/pinecone` (8.x and 9.x): only what Burnrate reads. */

/** `Index` keeps where it points in `target` (a private field of the SDK). */
export interface IndexLike {
  target?: { indexName?: string; namespace?: string; indexHostUrl?: string };
}

/** 9.x `Documents` (`index.documents`) keeps its index in its operations provider. */
export interface DocumentsLike {
  _provider?: { indexName?: string; indexHostUrl?: string };
}

export type IndexMethod = (this: unknown, ...args: unknown[]) => unknown;

export interface IndexClassLike {
  prototype: Record<string, unknown>;
}

/** The SDK's exports we patch (CJS exports or the ESM namespace over them). */
export interface PineconeModuleLike {
  Index?: IndexClassLike;
  Documents?: IndexClassLike;
  default?: PineconeModuleLike;
}

export interface UsageLike {
  readUnits?: number;
}

/** 9.x document operations' responses. */
export interface DocumentsResponseLike {
  matches?: unknown[];
  documents?: unknown;
  upsertedCount?: number;
  matchedRecords?: number;
  usage?: UsageLike;
}

/** query, fetch, fetchByMetadata, listPaginated and searchRecords responses. */
export interface ReadResponseLike {
  matches?: unknown[];
  records?: unknown;
  vectors?: unknown[];
  result?: { hits?: unknown[] };
  usage?: UsageLike;
}
