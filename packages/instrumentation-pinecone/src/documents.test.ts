import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { INDEX_NAME, openIndex, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

/** $16 per million read units: the pricing package's built-in Pinecone rule. */
const USD_PER_READ_UNIT = 16 / 1_000_000;

/**
 * 9.x document indexes. Responses written field for field from the client's generated models of
 * Pinecone's data-plane API (`SearchDocumentsResponse`, `FetchDocumentsResponse`,
 * `UpsertDocumentsResponse`, `DeleteDocumentsResponse`: snake_case on the wire).
 */
const NS = 'https://index.svc.pinecone.io/namespaces/shoes/documents';

describe('pinecone v9: document operations (index.documents)', () => {
  const sdk = SDKS[0];

  it('search: top_k, matches and read units priced per unit', async () => {
    h.replay.add([
      exchange('POST', `${NS}/search`, {
        matches: [
          { _id: 'trail-shoe-42', _score: 0.91 },
          { _id: 'trail-shoe-7', _score: 0.83 },
        ],
        namespace: 'shoes',
        usage: { read_units: 3 },
      }),
    ]);
    const index = openIndex(sdk, h.replay.url, 'shoes');
    const r = await index.documents.search({
      topK: 2,
      scoreBy: [{ type: 'text', field: 'description', query: 'waterproof trail running shoe' }],
    });
    expect(r.matches).toHaveLength(2);
    const [span] = h.tracing.spans();
    expect(span.name).toBe(`search ${INDEX_NAME}`);
    const a = span.attributes;
    expect(a['db.operation.name']).toBe('search');
    expect(a['burnrate.vectordb.top_k']).toBe(2);
    expect(a['burnrate.vectordb.vectors']).toBe(2);
    expect(a['burnrate.vectordb.read_units']).toBe(3);
    expect(a['burnrate.cost.usd']).toBeCloseTo(3 * USD_PER_READ_UNIT, 15);
    expect(JSON.stringify(a)).not.toContain('waterproof');
  });

  it('upsert, fetch and delete: counts and read units; the deprecated index.*Documents give one span', async () => {
    h.replay.add([
      exchange('POST', `${NS}/upsert`, { upserted_count: 2 }),
      exchange('POST', `${NS}/fetch`, {
        documents: { 'trail-shoe-42': { _id: 'trail-shoe-42', description: 'x' } },
        namespace: 'shoes',
        usage: { read_units: 1 },
      }),
      exchange('POST', `${NS}/delete`, { matched_records: 2 }),
    ]);
    const index = openIndex(sdk, h.replay.url, 'shoes');
    await index.upsertDocuments({
      documents: [
        { _id: 'trail-shoe-42', description: 'a' },
        { _id: 'trail-shoe-7', description: 'b' },
      ],
    });
    await index.documents.fetch({ ids: ['trail-shoe-42'] });
    await index.documents.delete({ ids: ['trail-shoe-42', 'trail-shoe-7'] });
    const spans = h.tracing.spans();
    expect(spans.map((s) => s.attributes['db.operation.name'])).toEqual([
      'upsert',
      'fetch',
      'delete',
    ]);
    expect(spans.map((s) => s.attributes['burnrate.vectordb.vectors'])).toEqual([2, 1, 2]);
    expect(spans[1].attributes['burnrate.cost.usd']).toBeCloseTo(USD_PER_READ_UNIT, 15);
    expect(spans[0].attributes['burnrate.cost.source']).toBe('unpriced');
  });
});
