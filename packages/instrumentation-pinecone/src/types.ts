/** Minimal structural types of `@pinecone-database/pinecone` (8.x and 9.x): only what Burnrate reads. */

/** `Index` keeps where it points in `target` (a private field of the SDK). */
export interface IndexLike {
  target?: { indexName?: string; namespace?: string; indexHostUrl?: string };
}

export type IndexMethod = (this: IndexLike, ...args: unknown[]) => unknown;

export interface IndexClassLike {
  prototype: Record<string, unknown>;
}

/** The SDK's exports we patch (CJS exports or the ESM namespace over them). */
export interface PineconeModuleLike {
  Index?: IndexClassLike;
  default?: { Index?: IndexClassLike };
}

export interface UsageLike {
  readUnits?: number;
}

/** query, fetch, fetchByMetadata, listPaginated and searchRecords responses. */
export interface ReadResponseLike {
  matches?: unknown[];
  records?: unknown;
  vectors?: unknown[];
  result?: { hits?: unknown[] };
  usage?: UsageLike;
}
