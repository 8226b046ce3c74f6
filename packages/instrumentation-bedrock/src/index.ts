export { BedrockInstrumentation, type BedrockInstrumentationConfig } from './instrumentation.ts';
export { isEmbeddingModel, modelFamily } from './model-id.ts';
export {
  tokensFromBody,
  tokensFromConverseUsage,
  tokensFromHeaders,
  tokensFromInvocationMetrics,
} from './usage.ts';
