/** Minimal structural types of the `chromadb` JS client (3.x): only what Burnrate reads. */

/**
 * A collection: its name, and the REST client that knows the server's base URL (3.x:
 * `apiClient.getConfig().baseUrl`; 2.x: `client.api.basePath`).
 */
export interface CollectionLike {
  name?: unknown;
  apiClient?: { getConfig?: () => { baseUrl?: unknown } | undefined };
  client?: { api?: { basePath?: unknown; configuration?: { basePath?: unknown } } };
}

export type CollectionMethod = (this: CollectionLike, ...args: unknown[]) => unknown;

export interface ClassLike {
  prototype: Record<string, unknown>;
}

/** The client's exports we patch (CJS exports or the ESM namespace). */
export interface ChromaModuleLike {
  ChromaClient?: ClassLike;
  /** 3.1+: extends the (unexported) collection class. */
  CollectionHandle?: ClassLike;
  /** 2.x: the collection class itself. */
  Collection?: ClassLike;
  default?: ChromaModuleLike;
}

/** Arguments of add / upsert / update / delete / query. */
export interface RecordArgsLike {
  ids?: unknown;
  nResults?: unknown;
}

/** `get` returns `{ ids: string[] }`; `query` and `search` return one id list per query. */
export interface ResultLike {
  ids?: unknown;
  deleted?: unknown;
}
