/** Version tag of the built-in rerank prices below. */
export const RERANK_PRICES_VERSION = 'burnrate-cohere-rerank@2026-11';

/**
 * USD per 1,000 search units, from Cohere's published price list (https://cohere.com/pricing:
 * "Rerank 3.5 — $2.00 / 1K searches"; the v3.0 English and multilingual models were listed at the
 * same price). One search unit is one query over up to 100 documents (a document longer than the
 * model's chunk size counts as several); Cohere returns the count in `billed_units.search_units`.
 * The genai-prices catalog has no rerank prices, so they live here; other models, or negotiated
 * prices, are set with the instrumentation's `rerankPrices` option. A model with no price is
 * `unpriced`, never 0.
 */
export const DEFAULT_RERANK_PRICES: Readonly<Record<string, number>> = {
  'rerank-v3.5': 2,
  'rerank-english-v3.0': 2,
  'rerank-multilingual-v3.0': 2,
};

export interface RerankPrice {
  usdPer1k: number;
  pricingModel: string;
  catalogVersion: string;
}

/** The price of a rerank model: the user's prices first, then the built-ins. */
export function rerankPrice(
  model: string | undefined,
  userPrices: Readonly<Record<string, number>> | undefined,
): RerankPrice | undefined {
  if (!model) return undefined;
  const id = model.trim().toLowerCase();
  const user = userPrices?.[id] ?? userPrices?.[model];
  if (typeof user === 'number' && Number.isFinite(user) && user >= 0) {
    return { usdPer1k: user, pricingModel: id, catalogVersion: 'instrumentation-config' };
  }
  const builtIn = DEFAULT_RERANK_PRICES[id];
  if (builtIn === undefined) return undefined;
  return { usdPer1k: builtIn, pricingModel: id, catalogVersion: RERANK_PRICES_VERSION };
}
