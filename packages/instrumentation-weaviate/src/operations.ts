import type {
  BatchDeleteArgsLike,
  BatchDeleteReplyLike,
  BatchObjectsArgsLike,
  BatchObjectsReplyLike,
  SearchArgsLike,
  SearchReplyLike,
} from './types.ts';

/** `db.system.name` of Weaviate. */
export const DB_SYSTEM = 'weaviate';

/**
 * The gRPC search methods of the client's `Searcher`, and the `db.operation.name` each records:
 * the Weaviate search operator (`collection.query.nearVector` -> `near_vector`). The same
 * operators under `collection.generate.*` are recorded the same way.
 */
export const SEARCH_OPERATIONS: Readonly<Record<string, string>> = {
  withNearVector: 'near_vector',
  withHybrid: 'hybrid',
  withBm25: 'bm25',
  withNearText: 'near_text',
  withNearObject: 'near_object',
  withFetch: 'fetch_objects',
  withNearImage: 'near_image',
  withNearAudio: 'near_audio',
  withNearVideo: 'near_video',
  withNearDepth: 'near_depth',
  withNearThermal: 'near_thermal',
  withNearIMU: 'near_imu',
};

function count(value: unknown): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** `top_k` of a search: the limit the caller asked for, when it asked for one. */
export function searchTopK(args: unknown): number | undefined {
  const limit = count((args as SearchArgsLike | undefined)?.limit);
  return limit && Number.isInteger(limit) ? limit : undefined;
}

/** Objects a search returned (in groups too, for `groupBy` searches). */
export function searchVectors(reply: unknown): number | undefined {
  const r = reply as SearchReplyLike | undefined;
  if (!r || typeof r !== 'object') return undefined;
  if (Array.isArray(r.groupByResults) && r.groupByResults.length > 0) {
    return r.groupByResults.reduce(
      (n, g) => n + (Array.isArray(g?.objects) ? g.objects.length : 0),
      0,
    );
  }
  return Array.isArray(r.results) ? r.results.length : undefined;
}

/** Objects a batch insert wrote: those sent, less those the server reported failed. */
export function insertedVectors(args: unknown, reply: unknown): number | undefined {
  const sent = (args as BatchObjectsArgsLike | undefined)?.objects;
  if (!Array.isArray(sent)) return undefined;
  const errors = (reply as BatchObjectsReplyLike | undefined)?.errors;
  return sent.length - (Array.isArray(errors) ? errors.length : 0);
}

/** Objects a batch delete removed (a dry run removes none: it reports its matches). */
export function deletedVectors(args: unknown, reply: unknown): number | undefined {
  const r = reply as BatchDeleteReplyLike | undefined;
  if ((args as BatchDeleteArgsLike | undefined)?.dryRun) return 0;
  return count(r?.successful);
}

/** REST object writes (single-object insert, replace, update, delete by id), by method. */
export const REST_OPERATIONS: Readonly<Record<string, string>> = {
  postReturn: 'insert',
  put: 'replace',
  patch: 'update',
  delete: 'delete',
};

/** `/objects`, `/objects/{Class}/{id}` (and a query string): the collection when in the path. */
export function objectsPath(path: unknown): { collection?: string } | undefined {
  if (typeof path !== 'string') return undefined;
  // `/objects/{id}` (servers before 1.14) names no collection: only the two-segment form does.
  const m = /^\/objects(?:\/([^/?]+)\/[^/?]+|\/[^/?]+)?\/?(?:\?.*)?$/.exec(path);
  if (!m) return undefined;
  return m[1] ? { collection: safeDecode(m[1]) } : {};
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
