export { CATALOG_PROVIDER_IDS, CATALOG_VERSION } from './catalog.ts';
export { defaultPricerError, getDefaultPricer, resetDefaultPricer } from './default-pricer.ts';
export { PricesFileError } from './errors.ts';
export { createPricer, OTHER_UNPRICED, UNPRICED_KEY_LIMIT } from './pricer.ts';
export { loadPricesFile, parsePrices } from './prices-file/load.ts';
export type {
  DiscountRule,
  ModelPriceOverride,
  PricesConfig,
  VectorPriceRule,
} from './prices-file/schema.ts';
export { catalogProviderId, modelCandidates } from './providers.ts';
export type {
  CreatePricerOptions,
  ModelCallPriceInput,
  ModelCost,
  Pricer,
  TokenCounts,
  UnitPrices,
  UnitPriceTier,
  VectorCost,
  VectorOperationPriceInput,
} from './types.ts';
export { DEFAULT_VECTOR_PRICES, VECTOR_DEFAULTS_VERSION } from './vector.ts';
