import type { MatchLogic, ModelPrice, Usage } from '@pydantic/genai-prices';
import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { CATALOG_PROVIDER_IDS, createPricer, type TokenCounts } from './index.ts';

// Burnrate's pricing must agree with genai-prices' own calcPrice on every model it can price.
// Model ids are taken from each catalog entry's own match rules, so this walks the whole catalog.

function sampleIds(logic: MatchLogic, out: string[] = []): string[] {
  if ('or' in logic) for (const l of logic.or) sampleIds(l, out);
  else if ('and' in logic) sampleIds(logic.and[0], out);
  else if ('equals' in logic) out.push(logic.equals);
  else if ('starts_with' in logic) out.push(logic.starts_with);
  else if ('contains' in logic) out.push(logic.contains);
  else if ('ends_with' in logic) out.push(logic.ends_with);
  return out;
}

function usageOf(t: TokenCounts): Usage {
  return {
    input_tokens: t.input,
    output_tokens: t.output,
    cache_read_tokens: t.cacheRead ?? 0,
    cache_write_tokens: (t.cacheWrite ?? 0) + (t.cacheWrite1h ?? 0),
    cache_write_1h_tokens: t.cacheWrite1h ?? 0,
    output_reasoning_tokens: t.reasoning ?? 0,
  };
}

const scenarios: { name: string; tokens: TokenCounts; needs?: string }[] = [
  { name: 'plain', tokens: { input: 1234, output: 567 } },
  {
    name: 'cached, above 272k tiers',
    tokens: { input: 300_000, output: 4321, cacheRead: 100_000, cacheWrite: 20_000 },
  },
  // exactly on and just past the catalog's tier starts (128k, 200k, 271999, 272k)
  ...[128_000, 128_001, 200_000, 200_001, 271_999, 272_000, 272_001].map((input) => ({
    name: `tier edge ${input}`,
    tokens: { input, output: 700, cacheRead: 20_000 },
  })),
  { name: 'reasoning', tokens: { input: 5000, output: 3000, reasoning: 1000, cacheRead: 1000 } },
  {
    name: '1h writes',
    tokens: { input: 9000, output: 10, cacheWrite: 2000, cacheWrite1h: 3000 },
    needs: 'cache_write_1h_mtok',
  },
];
const moments = ['2024-03-01T12:00:00Z', '2025-07-01T03:00:00Z', '2026-09-01T20:00:00Z'].map(
  (d) => new Date(d),
);

describe('agreement with genai-prices calcPrice', () => {
  it('matches the catalog total to 1e-12 and picks the same entry, across the whole catalog', () => {
    const pricer = createPricer();
    const mismatches: string[] = [];
    const models = new Set<string>();
    let compared = 0;
    let unpricedOk = 0;
    for (const providerId of CATALOG_PROVIDER_IDS) {
      const provider = findProvider({ providerId });
      expect(provider?.id, providerId).toBe(providerId);
      for (const entry of provider?.models ?? []) {
        for (const id of sampleIds(entry.match).slice(0, 3)) {
          for (const [m, at] of moments.entries()) {
            for (const s of scenarios) {
              // tier edges do not depend on the moment: check them once per id
              if (s.name.startsWith('tier edge') && m > 0) continue;
              const expected = calcPrice(usageOf(s.tokens), id, { providerId, timestamp: at });
              if (!expected) continue;
              const price: ModelPrice = expected.model_price;
              if (s.needs && price[s.needs] === undefined) continue;
              const got = pricer.priceModelCall({
                provider: providerId,
                model: id,
                tokens: s.tokens,
                at,
              });
              const where = `${providerId}/${id} @${at.toISOString()} ${s.name}`;
              const tokenPriced =
                Object.keys(price).length === 0 ||
                (price.input_mtok !== undefined && price.output_mtok !== undefined);
              if (!got) {
                // Burnrate refuses to price tokens the catalog has no price for (calcPrice counts them as 0).
                if (tokenPriced)
                  mismatches.push(`${where}: unpriced, calcPrice ${expected.total_price}`);
                else unpricedOk++;
                continue;
              }
              if (got.pricingModel !== expected.model.id) {
                mismatches.push(`${where}: entry ${got.pricingModel} != ${expected.model.id}`);
              }
              if (Math.abs(got.totalUsd - expected.total_price) > 1e-12) {
                mismatches.push(`${where}: ${got.totalUsd} != ${expected.total_price}`);
              }
              const parts =
                got.inputUsd +
                got.outputUsd +
                got.cacheReadUsd +
                got.cacheWriteUsd +
                got.requestUsd;
              if (parts !== got.totalUsd)
                mismatches.push(`${where}: parts ${parts} != total ${got.totalUsd}`);
              models.add(`${providerId}/${expected.model.id}`);
              compared++;
            }
          }
        }
      }
    }
    console.log(`compared ${compared} prices of ${models.size} entries; ${unpricedOk} refused`);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(models.size).toBeGreaterThan(1400);
    expect(compared).toBeGreaterThan(20_000);
    expect(unpricedOk).toBeGreaterThan(0);
  });
});
