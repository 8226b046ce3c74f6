import { exchange, type RecordedExchange } from '@burnrate/test-utils';

/**
 * Qdrant REST responses written field for field from Qdrant's published OpenAPI schema
 * (https://api.qdrant.tech/api-reference, the `generated_schema` the client itself ships):
 * every response is `{ result, status, time }` plus, on Qdrant Cloud with usage reporting on,
 * `usage.hardware` (`HardwareUsage`). No Qdrant server installs from a package registry here.
 */
const BASE = 'http://qdrant.local:6333/collections/docs';

const HARDWARE = {
  cpu: 12,
  payload_io_read: 4,
  payload_io_write: 0,
  payload_index_io_read: 0,
  payload_index_io_write: 0,
  vector_io_read: 96,
  vector_io_write: 0,
};

function ok(result: unknown, withUsage = false): object {
  return withUsage
    ? { usage: { hardware: HARDWARE }, result, status: 'ok', time: 0.002184 }
    : { result, status: 'ok', time: 0.000917 };
}

const scored = (id: number, score: number, payload?: object) => ({
  id,
  version: 3,
  score,
  ...(payload ? { payload } : {}),
});

export const updateResult = { operation_id: 42, status: 'completed' };

export const responses = {
  query: () =>
    exchange(
      'POST',
      `${BASE}/points/query`,
      ok({ points: [scored(1, 0.91, { city: 'Berlin' }), scored(4, 0.62)] }, true),
    ),
  queryBatch: () =>
    exchange(
      'POST',
      `${BASE}/points/query/batch`,
      ok([{ points: [scored(1, 0.9), scored(2, 0.8)] }, { points: [scored(3, 0.7)] }]),
    ),
  queryGroups: () =>
    exchange(
      'POST',
      `${BASE}/points/query/groups`,
      ok({
        groups: [
          { id: 'a', hits: [scored(1, 0.9), scored(2, 0.85)] },
          { id: 'b', hits: [scored(7, 0.6)] },
        ],
      }),
    ),
  search: () =>
    exchange('POST', `${BASE}/points/search`, ok([scored(1, 0.9), scored(2, 0.8), scored(3, 0.7)])),
  searchBatch: () =>
    exchange(
      'POST',
      `${BASE}/points/search/batch`,
      ok([[scored(1, 0.9)], [scored(2, 0.8), scored(3, 0.7)]]),
    ),
  recommend: () => exchange('POST', `${BASE}/points/recommend`, ok([scored(5, 0.5)])),
  upsert: () => exchange('PUT', `${BASE}/points`, ok(updateResult)),
  retrieve: () =>
    exchange(
      'POST',
      `${BASE}/points`,
      ok([
        { id: 1, payload: { city: 'Berlin' } },
        { id: 2, payload: { city: 'London' } },
      ]),
    ),
  scroll: () =>
    exchange(
      'POST',
      `${BASE}/points/scroll`,
      ok({
        points: [
          { id: 1, payload: {} },
          { id: 2, payload: {} },
          { id: 3, payload: {} },
        ],
        next_page_offset: 4,
      }),
    ),
  count: () => exchange('POST', `${BASE}/points/count`, ok({ count: 1234 })),
  delete: () =>
    exchange('POST', `${BASE}/points/delete`, ok({ operation_id: 43, status: 'acknowledged' })),
  batchUpdate: () =>
    exchange(
      'POST',
      `${BASE}/points/batch`,
      ok([updateResult, { operation_id: 44, status: 'completed' }]),
    ),
  setPayload: () => exchange('POST', `${BASE}/points/payload`, ok(updateResult)),
  notFound: (path: string) =>
    exchange(
      'POST',
      `${BASE}${path}`,
      { status: { error: "Not found: Collection `docs` doesn't exist!" }, time: 0.000012 },
      { status: 404 },
    ),
} satisfies Record<string, (...args: never[]) => RecordedExchange>;
