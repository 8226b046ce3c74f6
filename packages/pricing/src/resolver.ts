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
  /** Set when the prices do not depend on the moment (most models): skips the date lookup. */
  staticPrices?: TokenPrices;
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
  private readonly discountsByEntry = new Map<string, DiscountRule>();
  private readonly azure = new Map<string, string>();

  constructor(config: PricesConfig | undefined, azureDeployments: Record<string, string> = {}) {
    for (const [name, base] of Object.entries({
      ...config?.azureDeployments,
      ...azureDeployments,
    })) {
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
    for (const d of config?.discounts ?? []) {
      const pkey = providerKey(d.provider);
      this.discounts.set(key(pkey, d.model ?? ''), d);
      const entry = d.model ? this.catalogEntry(d.provider, d.model) : undefined;
      const k = entry && key(pkey, entry.provider.id, entry.model.id);
      if (k && !this.discountsByEntry.has(k)) this.discountsByEntry.set(k, d);
    }
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

  /**
   * The parts of `resolve`, one function each (candidate ids, catalog entry, prices), for
   * `prepare` to run in tasks of their own: their first run compiles the code `resolve` then
   * reuses. What they return is not kept; the catalog's compiled match rules are.
   */
  preparationSteps(provider: string, model: string): (() => unknown)[] {
    return [
      () => this.candidates(provider, model),
      () => this.catalogEntry(provider, model),
      () => {
        const entry = this.catalogEntry(provider, model);
        return entry && fromCatalog(pricesAt(entry.model, new Date()));
      },
    ];
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
    if (!override && entry)
      override = this.byEntry.get(key(pkey, entry.provider.id, entry.model.id));
    if (!override && !entry) return undefined;

    let discount: number | undefined;
    if (!override) {
      let rule: DiscountRule | undefined;
      for (const c of candidates) {
        rule = this.discounts.get(key(pkey, c));
        if (rule) break;
      }
      if (!rule && entry)
        rule = this.discountsByEntry.get(key(pkey, entry.provider.id, entry.model.id));
      rule ??= this.discounts.get(key(pkey, ''));
      discount = rule?.multiplier;
    }
    const o = override;
    const nonCatalog = o && !entry ? merge(undefined, o) : undefined;
    const merged = new WeakMap<ModelPrice, TokenPrices>();
    const prices = (at: Date): TokenPrices => {
      if (nonCatalog) return nonCatalog;
      const catalog = pricesAt((entry as CatalogEntry).model, at);
      if (!o) return fromCatalog(catalog);
      let m = merged.get(catalog);
      if (!m) {
        m = merge(fromCatalog(catalog), o);
        merged.set(catalog, m);
      }
      return m;
    };
    return {
      entry,
      override,
      discount,
      pricingModel: override ? override.model : (entry as CatalogEntry).model.id,
      pricingProvider: override ? pkey : (entry as CatalogEntry).provider.id,
      origin: override || discount !== undefined ? 'override' : 'catalog',
      contextWindow: override?.contextWindow ?? entry?.model.context_window,
      prices,
      staticPrices:
        nonCatalog ??
        (entry && !Array.isArray(entry.model.prices) ? prices(new Date(0)) : undefined),
    };
  }
}
