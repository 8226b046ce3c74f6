import type { Pricer, UnitPrices } from '@burnrate/pricing';
import { NANO_PER_USD, toNanoCeil } from './money.ts';

/** Per-call prices in nano-dollars, at the tier the prompt falls in. */
export interface Quote {
  pricingModel: string;
  contextWindow: number | undefined;
  /** Cost of the prompt (float nano-dollars). */
  inputNano: number;
  /** Flat per-request fee (float nano-dollars). */
  fixedNano: number;
  /** Price of one output token (float nano-dollars). */
  outputNanoPerToken: number;
}

/**
 * Prices a call's prompt for a reservation. Every input token is priced at the dearer of the
 * uncached and cache-write price (a prompt may be written to the cache; reads are cheaper), at the
 * context-length tier the prompt falls in. Undefined when the model has no per-token price.
 */
export function quote(
  pricer: Pricer,
  provider: string,
  model: string,
  inputTokens: number,
): Quote | undefined {
  const p = cachedUnitPrices(pricer, provider, model);
  if (!p) return undefined;
  const tier = tierFor(p, inputTokens);
  const inputPerToken = Math.max(tier.inputPerToken, tier.cacheWritePerToken ?? 0);
  return {
    pricingModel: p.pricingModel,
    contextWindow: p.contextWindow,
    inputNano: inputTokens * inputPerToken * NANO_PER_USD,
    fixedNano: (p.perRequest ?? 0) * NANO_PER_USD,
    outputNanoPerToken: tier.outputPerToken * NANO_PER_USD,
  };
}

const CACHE_MS = 60_000;
const MAX_ENTRIES = 1024;
const caches = new WeakMap<Pricer, Map<string, { prices: UnitPrices | undefined; at: number }>>();

/**
 * The pricer's unit prices, kept for a minute per provider/model (prices can change by date or
 * time of day, so not longer), per pricer (a new pricer, e.g. from a prices file, starts afresh).
 */
function cachedUnitPrices(pricer: Pricer, provider: string, model: string): UnitPrices | undefined {
  let cache = caches.get(pricer);
  if (!cache) {
    cache = new Map();
    caches.set(pricer, cache);
  }
  const key = `${provider}\u0000${model}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.prices;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const prices = pricer.unitPrices(provider, model);
  cache.set(key, { prices, at: now });
  return prices;
}

function tierFor(p: UnitPrices, inputTokens: number) {
  let chosen: {
    inputPerToken: number;
    outputPerToken: number;
    cacheWritePerToken?: number;
  } = p;
  for (const t of p.tiers ?? []) if (inputTokens > t.aboveInputTokens) chosen = t;
  return chosen;
}

/** The most a call with this prompt and output cap can cost, in whole nano-dollars (rounded up). */
export function worstCaseNano(q: Quote, outputTokens: number): number {
  return toNanoCeil(q.inputNano + q.fixedNano + q.outputNanoPerToken * outputTokens);
}

/** How many output tokens `availableNano` pays for after the prompt (may be negative). */
export function payableOutputTokens(q: Quote, availableNano: number): number {
  const left = availableNano - q.inputNano - q.fixedNano;
  if (q.outputNanoPerToken <= 0) return left >= -1e-6 ? Number.MAX_SAFE_INTEGER : -1;
  return Math.floor(left / q.outputNanoPerToken + 1e-9);
}
