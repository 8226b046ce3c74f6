/** Minimal structural types of `@qdrant/js-client-rest` (1.x): only what Burnrate reads. */

/** `QdrantClient` keeps the server it talks to in private fields. */
export interface ClientLike {
  _host?: string;
  _port?: number;
}

export type ClientMethod = (this: ClientLike, ...args: unknown[]) => unknown;

export interface ClientClassLike {
  prototype: Record<string, unknown>;
}

/** The SDK's exports we patch (its ESM and CJS builds are two copies: both get patched). */
export interface QdrantModuleLike {
  QdrantClient?: ClientClassLike;
  default?: { QdrantClient?: ClientClassLike };
}

/** Points selector / write bodies: `{ points: [...] }` or `{ batch: { ids: [...] } }`. */
export interface PointsBodyLike {
  points?: unknown;
  batch?: { ids?: unknown };
  limit?: unknown;
  searches?: unknown;
  operations?: unknown;
}
