import { CATALOG_VERSION, nextTask, preloadCatalogProvider } from './catalog.ts';
import { computeCost, unitPricesOf } from './compute.ts';
import { loadPricesFile } from './prices-file/load.ts';
import type { PricesConfig } from './prices-file/schema.ts';
import { knownCatalogProviderId } from './providers.ts';
import { type Resolution, Resolver } from './resolver.ts';
import type {
  CreatePricerOptions,
  ModelCallPriceInput,
  ModelCost,
  Pricer,
  UnitPrices,
  VectorCost,
  VectorOperationPriceInput,
} from './types.ts';
import { VectorPricer } from './vector.ts';

/** At most this many distinct 'provider/model' keys are counted; the rest go under OTHER_UNPRICED. */
export const UNPRICED_KEY_LIMIT = 1000;
export const OTHER_UNPRICED = '(other)/(other)';
/** Resolutions kept in memory; the cache is dropped and rebuilt when it grows past this. */
const RESOLUTION_CACHE_LIMIT = 10_000;

/** `at` if it is a real moment, else now (an invalid Date never selects a price). */
function validDate(at: Date | undefined): Date {
  return at instanceof Date && !Number.isNaN(at.getTime()) ? at : new Date();
}

class BurnratePricer implements Pricer {
  private readonly resolver: Resolver;
  private readonly vector: VectorPricer;
  private readonly overrideVersion: string;
  private readonly cache = new Map<string, Map<string, Resolution | null>>();
  private cached = 0;
  private readonly missing = new Map<string, number>();

  constructor(config: PricesConfig | undefined, options: CreatePricerOptions) {
    this.resolver = new Resolver(config, options.azureDeployments);
    this.overrideVersion = config ? `prices-file:${config.file}` : 'options';
    this.vector = new VectorPricer(config?.vectorDatabases ?? [], this.overrideVersion);
  }

  private resolve(provider: string, model: string): Resolution | undefined {
    // Nested maps: no key string is built on the hot path.
    let byModel = this.cache.get(provider);
    if (!byModel) {
      byModel = new Map();
      this.cache.set(provider, byModel);
    }
    let r = byModel.get(model);
    if (r === undefined) {
      if (this.cached >= RESOLUTION_CACHE_LIMIT) {
        this.cache.clear();
        this.cached = 0;
        byModel = new Map();
        this.cache.set(provider, byModel);
      }
      r = this.resolver.resolve(provider, model) ?? null;
      byModel.set(model, r);
      this.cached++;
    }
    return r ?? undefined;
  }

  private countUnpriced(provider: unknown, model: unknown): void {
    let k = `${String(provider).trim()}/${String(model).trim()}`;
    if (!this.missing.has(k) && this.missing.size >= UNPRICED_KEY_LIMIT) k = OTHER_UNPRICED;
    this.missing.set(k, (this.missing.get(k) ?? 0) + 1);
  }

  priceModelCall(input: ModelCallPriceInput): ModelCost | undefined {
    try {
      const r = this.resolve(input.provider, input.model);
      const prices = r && (r.staticPrices ?? r.prices(validDate(input.at)));
      const parts = r && prices && computeCost(prices, input.tokens, r.discount);
      if (!r || !parts) {
        this.countUnpriced(input.provider, input.model);
        return undefined;
      }
      const cost: ModelCost = {
        totalUsd: parts.totalUsd,
        inputUsd: parts.inputUsd,
        outputUsd: parts.outputUsd,
        cacheReadUsd: parts.cacheReadUsd,
        cacheWriteUsd: parts.cacheWriteUsd,
        requestUsd: parts.requestUsd,
        pricingModel: r.pricingModel,
        pricingProvider: r.pricingProvider,
        catalogVersion: r.origin === 'override' ? this.overrideVersion : CATALOG_VERSION,
        origin: r.origin,
      };
      if (r.discount !== undefined) cost.discount = r.discount;
      return cost;
    } catch {
      // Fail open: a pricing problem never reaches the instrumented call.
      try {
        this.countUnpriced(input?.provider, input?.model);
      } catch {}
      return undefined;
    }
  }

  unitPrices(provider: string, model: string, at?: Date): UnitPrices | undefined {
    try {
      const r = this.resolve(provider, model);
      if (!r) return undefined;
      const p = r.staticPrices ?? r.prices(validDate(at));
      // Priced by something other than tokens (audio hours, pages): no per-token price to reserve.
      if (!p.free && p.input === undefined) return undefined;
      const { base, tiers, perRequest } = unitPricesOf(p, r.discount);
      const out: UnitPrices = {
        ...base,
        pricingModel: r.pricingModel,
        pricingProvider: r.pricingProvider,
        origin: r.origin,
      };
      if (base.cacheReadPerToken === undefined) delete out.cacheReadPerToken;
      if (base.cacheWritePerToken === undefined) delete out.cacheWritePerToken;
      if (r.contextWindow !== undefined) out.contextWindow = r.contextWindow;
      if (tiers.length) out.tiers = tiers;
      if (perRequest !== undefined) out.perRequest = perRequest;
      return out;
    } catch {
      return undefined;
    }
  }

  priceVectorOperation(input: VectorOperationPriceInput): VectorCost | undefined {
    try {
      return this.vector.price(input);
    } catch {
      return undefined;
    }
  }

  unpriced(): ReadonlyMap<string, number> {
    return new Map(this.missing);
  }

  /**
   * Gets a provider's pricing ready, one step per task of the event loop: the first run of each
   * step compiles its code, 0.2–1 ms a step, and the resolution in one task took 1.4–2 ms (the
   * pricing bench's first-use table). The steps: the catalog file's read (started in a task after
   * the caller's), its parse, the model's candidate ids, its catalog entry, its prices, the
   * resolution (cached for its calls), the cost arithmetic.
   */
  async prepare(provider: string, model: string): Promise<void> {
    await nextTask();
    const id = knownCatalogProviderId(provider);
    if (id !== undefined) await preloadCatalogProvider(id);
    for (const step of this.resolver.preparationSteps(provider, model)) {
      await nextTask();
      step();
    }
    await nextTask();
    const r = this.resolve(provider, model);
    await nextTask();
    if (r) computeCost(r.staticPrices ?? r.prices(new Date()), WARM_TOKENS, r.discount);
  }
}

const WARM_TOKENS = { input: 1, output: 1 };

/**
 * Creates a pricer. With `pricesFile`, the file is read and checked now: a bad file throws ONE
 * PricesFileError naming the file, the line and the field.
 */
export function createPricer(options: CreatePricerOptions = {}): Pricer {
  const config = options.pricesFile ? loadPricesFile(options.pricesFile) : undefined;
  return new BurnratePricer(config, options);
}
