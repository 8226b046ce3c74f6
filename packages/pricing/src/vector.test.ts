import { describe, expect, it } from 'vitest';
import { createPricer, VECTOR_DEFAULTS_VERSION } from './index.ts';

const pricer = createPricer();

describe('vector database prices', () => {
  it('Pinecone serverless defaults: $16 per million read units, $4 per million write units', () => {
    expect(
      pricer.priceVectorOperation({ dbSystem: 'pinecone', operation: 'query', readUnits: 6 }),
    ).toEqual({
      totalUsd: (6 * 16) / 1_000_000,
      pricingModel: 'pinecone',
      catalogVersion: VECTOR_DEFAULTS_VERSION,
    });
    expect(
      pricer.priceVectorOperation({ dbSystem: 'pinecone', operation: 'upsert', writeUnits: 250 })
        ?.totalUsd,
    ).toBe((250 * 4) / 1_000_000);
    // a zero the provider reported is a real zero
    expect(
      pricer.priceVectorOperation({ dbSystem: 'pinecone', operation: 'query', readUnits: 0 })
        ?.totalUsd,
    ).toBe(0);
  });

  it('a Pinecone call that reported no units stays unpriced (not 0)', () => {
    expect(
      pricer.priceVectorOperation({ dbSystem: 'pinecone', operation: 'upsert', vectors: 100 }),
    ).toBeUndefined();
  });

  it.each(['chroma', 'weaviate', 'postgresql', 'pgvector', 'lancedb', 'milvus', 'qdrant'])(
    'self-hosted %s has no default price',
    (dbSystem) => {
      expect(
        pricer.priceVectorOperation({
          dbSystem,
          operation: 'query',
          readUnits: 1,
          writeUnits: 1,
          vectors: 10,
        }),
      ).toBeUndefined();
    },
  );
});
