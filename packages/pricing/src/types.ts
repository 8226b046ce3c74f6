/** Token counts of one model call, following the OTel GenAI semantic conventions. */
export interface TokenCounts {
  /** ALL input tokens, cache reads and cache writes included. */
  input: number;
  /** All output tokens, reasoning included. */
  output: number;
  /** Subset of `input` read from the prompt cache. */
  cacheRead?: number;
  /** Subset of `input` written to the prompt cache (5-minute or unspecified TTL). */
  cacheWrite?: number;
  /** Subset of `input` written to the prompt cache with a 1-hour TTL (Anthropic prices these apart). */
  cacheWrite1h?: number;
  /** Subset of `output` spent on reasoning. */
  reasoning?: number;
}

export interface ModelCallPriceInput {
  /** `gen_ai.provider.name` (e.g. `openai`, `aws.bedrock`) or a catalog provider id. */
  provider: string;
  model: string;
  tokens: TokenCounts;
  /** When the call happened: picks dated and time-of-day prices. Defaults to now. */
  at?: Date;
}

export interface ModelCost {
  /** inputUsd + outputUsd + cacheReadUsd + cacheWriteUsd + requestUsd. */
  totalUsd: number;
  /** Uncached input tokens only. */
  inputUsd: number;
  /** Output tokens, reasoning included. */
  outputUsd: number;
  cacheReadUsd: number;
  /** 5-minute and 1-hour cache writes. */
  cacheWriteUsd: number;
  /**
   * Flat per-request fee, where the catalog has one (Perplexity Sonar); 0 for every other model,
   * so that for them totalUsd is exactly the sum of the four token parts.
   */
  requestUsd: number;
  /** The catalog (or override) entry that priced it, e.g. 'gpt-4o-mini'. */
  pricingModel: string;
  /** Catalog provider id whose entry priced it (e.g. 'openai' for an Azure call priced by fallback). */
  pricingProvider: string;
  /** e.g. '@pydantic/genai-prices@0.1.8' or 'prices-file:/abs/path'. */
  catalogVersion: string;
  origin: 'catalog' | 'override';
  /** The discount multiplier from the prices file applied to catalog prices, if any. */
  discount?: number;
}

/** A price tier: applies when the call's total input tokens exceed `aboveInputTokens`. */
export interface UnitPriceTier {
  aboveInputTokens: number;
  inputPerToken: number;
  outputPerToken: number;
  cacheReadPerToken?: number;
  cacheWritePerToken?: number;
}

export interface UnitPrices {
  inputPerToken: number;
  outputPerToken: number;
  cacheReadPerToken?: number;
  cacheWritePerToken?: number;
  pricingModel: string;
  contextWindow?: number;
  /** Added: the catalog provider id that priced it, and where the prices came from. */
  pricingProvider?: string;
  origin?: 'catalog' | 'override';
  /** Added: dearer context-length tiers (the fields above are the base tier). */
  tiers?: UnitPriceTier[];
  /** Added: flat fee per request, where the catalog has one. */
  perRequest?: number;
}

export interface VectorOperationPriceInput {
  /** `db.system.name`, e.g. 'pinecone', 'qdrant', 'chroma'. */
  dbSystem: string;
  /** `db.operation.name`, e.g. 'query', 'upsert'. */
  operation: string;
  readUnits?: number;
  writeUnits?: number;
  vectors?: number;
  collection?: string;
}

export interface VectorCost {
  totalUsd: number;
  /** The price rule that priced it, e.g. 'pinecone' or 'pinecone/query'. */
  pricingModel: string;
  catalogVersion: string;
}

export interface Pricer {
  /** undefined = unpriced (never 0). Never throws. */
  priceModelCall(input: ModelCallPriceInput): ModelCost | undefined;
  /** Per-token prices for pre-call budget reservations. Never throws. */
  unitPrices(provider: string, model: string, at?: Date): UnitPrices | undefined;
  /** undefined = no price known for this database/operation or the units it needs. Never throws. */
  priceVectorOperation(input: VectorOperationPriceInput): VectorCost | undefined;
  /** 'provider/model' -> calls that could not be priced (bounded: see UNPRICED_KEY_LIMIT). */
  unpriced(): ReadonlyMap<string, number>;
  /**
   * Optional: gets ready to price this provider's and model's calls without blocking the thread
   * for long (catalog files read off it, the rest in short tasks), so that the first call's
   * pricing is as quick as the next ones. Pricing does not depend on it having run. May reject.
   */
  prepare?(provider: string, model: string): Promise<void>;
}

export interface CreatePricerOptions {
  /** Path of a YAML or JSON prices file (see README). */
  pricesFile?: string;
  /** Azure deployment name -> base model id; merged over the prices file's `azure_deployments`. */
  azureDeployments?: Record<string, string>;
}
