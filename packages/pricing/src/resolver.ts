import type { ModelPrice } from '@pydantic/genai-prices';
import { type CatalogEntry, catalogProvider, findCatalogModel, pricesAt } from './catalog.ts';
import { fromCatalog, type TokenPrices } from './compute.ts';
import { PricesFileError } from './errors.ts';
import type { DiscountRule, ModelPriceOverride, PricesConfig } from './prices-file/schema.ts';
import { catalogProviderId, modelCandidates, providerKey } from './providers.ts';

/** What a (provider, model) pair resolved to; cached, so every later call is a map lookup. */
export interface Resolution {
  entry?: CatalogEntry;
  override?: ModelPriceOverride;
  discount?: number;
  pricingModel: string;
  pricingProvider: string;
  origin: 'catalog' | 'override';
  contextWindow?: number;
  /** Token prices in force at a moment (dated catalog prices are picked per call). */
  prices(at: Date): TokenPrices;
}

const key = (...parts: string[]) => parts.join('\u0000');

function merge(base: TokenPrices | undefined, o: ModelPriceOverride): TokenPrices {
  return {
    input: o.inputPerMtok ?? base?.input,
    output: o.outputPerMtok ?? base?.output,
    cacheRead: o.cacheReadPerMtok ?? base?.cacheRead,
    cacheWrite: o.cacheWritePerMtok ?? base?.cacheWrite,
    cacheWrite1h: o.cacheWrite1hPerMtok ?? base?.cacheWrite1h,
    reasoning: base?.reasoning,
    requestsPerK: base?.requestsPerK,
    free: false,
  };
}

/** Resolves provider/model pairs: the prices file first, then the bundled catalog. */
export class Resolver {
  private readonly exact = new Map<string, ModelPriceOverride>();
  private readonly byEntry = new Map<string, ModelPriceOverride>();
  private readonly discounts = new Map<string, DiscountRule>();
  private readonly azure = new Map<string, string>();

  constructor(config: PricesConfig | undefined, azureDeployments: Record<string, string> = {}) {
    for (const [name, base] of Object.entries({ ...config?.azureDeployments, ...azureDeployments })) {
      this.azure.set(name, base);
      this.azure.set(name.toLowerCase(), base);
    }
    for (const o of config?.models ?? []) {
      const pkey = providerKey(o.provider);
      this.exact.set(key(pkey, o.model), o);
      const entry = this.catalogEntry(o.provider, o.model);
      if (entry) {
        const k = key(pkey, entry.provider.id, entry.model.id);
        if (!this.byEntry.has(k)) this.byEntry.set(k, o);
      } else if (o.inputPerMtok === undefined && config) {
        throw new PricesFileError(
          config.displayName,
          `required: "${o.model}" is not in the price catalog for provider "${o.provider}"`,
          o.line,
          `models[${o.index}].input_per_mtok`,
        );
      }
    }
    for (const d of config?.discounts ?? []) this.discounts.set(key(providerKey(d.provider), d.model ?? ''), d);
  }

  private candidates(provider: string, model: string): string[] {
    const cid = catalogProviderId(provider);
    const out = modelCandidates(model);
    if (cid === 'azure') {
      const trimmed = model.trim();
      const base = this.azure.get(trimmed) ?? this.azure.get(trimmed.toLowerCase());
      if (base) return [...modelCandidates(base), ...out];
    }
    return out;
  }

  private catalogEntry(provider: string, model: string): CatalogEntry | undefined {
    const cid = catalogProviderId(provider);
    const p = cid === undefined ? undefined : catalogProvider(cid);
    if (!p) return undefined;
    for (const c of this.candidates(provider, model)) {
      const e = findCatalogModel(p, c);
      if (e) return e;
    }
    return undefined;
  }

  resolve(provider: string, model: string): Resolution | undefined {
    const pkey = providerKey(provider);
    const candidates = this.candidates(provider, model);
    let override: ModelPriceOverride | undefined;
    for (const c of candidates) {
      override = this.exact.get(key(pkey, c));
      if (override) break;
    }
    const entry = this.catalogEntry(provider, model);
    if (!override && entry) override = this.byEntry.get(key(pkey, entry.provider.id, entry.model.id));
    if (!override && !entry) return undefined;

    let discount: number | undefined;
    if (!override) {
      const ids = [...candidates, entry?.model.id.toLowerCase() ?? ''];
      const rule = ids.map((c) => this.discounts.get(key(pkey, c))).find(Boolean) ?? this.discounts.get(key(pkey, ''));
      discount = rule?.multiplier;
    }
    const cache = new WeakMap<ModelPrice, TokenPrices>();
    const o = override;
    const prices = (at: Date): TokenPrices => {
      const catalog = entry ? pricesAt(entry.model, at) : undefined;
      if (!o) return fromCatalog(catalog as ModelPrice);
      if (!catalog) return (nonCatalog ??= merge(undefined, o));
      let merged = cache.get(catalog);
      if (!merged) {
        merged = merge(fromCatalog(catalog), o);
        cache.set(catalog, merged);
      }
      return merged;
    };
    let nonCatalog: TokenPrices | undefined;
    return {
      entry,
      override,
      discount,
      pricingModel: override ? override.model : (entry as CatalogEntry).model.id,
      pricingProvider: override ? pkey : (entry as CatalogEntry).provider.id,
      origin: override || discount !== undefined ? 'override' : 'catalog',
      contextWindow: override?.contextWindow ?? entry?.model.context_window,
      prices,
    };
  }
}
