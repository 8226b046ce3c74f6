export { CohereInstrumentation, type CohereInstrumentationConfig } from './instrumentation.ts';
export { DEFAULT_RERANK_PRICES, RERANK_PRICES_VERSION } from './rerank-prices.ts';
