export {
  type AgentRun,
  type AgentRunOptions,
  currentAgentRun,
  withAgentRun,
} from './agent-run.ts';
export { type ApiPromiseLike, observeApiPromise } from './api-promise.ts';
export {
  type AgentFacts,
  type Attribution,
  attributionAttributes,
  attributionScope,
  currentAgentFacts,
  currentAttribution,
  inboundRoute,
  withAttribution,
  withFrameworkAgent,
} from './attribution.ts';
export { isInsideBurnrateCall, isSuperseded, markBurnrateCall } from './call-marker.ts';
export {
  costAttributes,
  currentPricer,
  type ModelUsage,
  recordModelUsage,
  recordVectorOperation,
  setPricer,
  type TokenCounts,
  tokenAttributes,
} from './cost.ts';
export {
  CostMeter,
  CostMeterSpanProcessor,
  CumulativeSums,
  MAX_CALL_COST_USD,
  type MeteredMetrics,
  type MeteredPoint,
  type MeteredSpan,
} from './cost-meter.ts';
export { type CountedEnd, endWithCountedUsage } from './counted-usage.ts';
export { burnrateLogger, safely } from './fail-open.ts';
export {
  type ForeignUsage,
  num,
  readForeignUsage,
  registerUsageReader,
  semconvReader,
  str,
  type UsageReader,
} from './foreign-usage.ts';
export {
  attachDecisions,
  combineDecisions,
  consultGates,
  type GateDecision,
  type Gated,
  type GateInput,
  gateModelCall,
  hasModelCallGates,
  type ModelCallGate,
  type ModelCallRequest,
  modelCallRequest,
  registerModelCallGate,
  releaseDecisions,
  settleDecisions,
} from './gate.ts';
export {
  BurnrateInstrumentation,
  type ModelMethod,
  type PatchedModule,
  type PrepareModelCall,
  setExternalModuleLoader,
} from './instrumentation-base.ts';
export {
  type CappedLabel,
  configureLabelCaps,
  DEFAULT_LABEL_CAPS,
  isUnboundedValue,
  LabelCap,
  type LabelCapLimits,
  labelCapLimitsFromEnv,
  processLabelCap,
} from './label-cap.ts';
export {
  type ModelCallOptions,
  type ModelServer,
  modelCallAttributes,
  modelCallName,
  requestParameterAttributes,
  serverAddress,
  traceModelCall,
} from './model-call.ts';
export { ModelStreamRecord, wrapCallStream } from './model-stream.ts';
export { requestFingerprint } from './request-fingerprint.ts';
export { burnrateResourceAttributes, ConfigError, checkLabelValue } from './resource-env.ts';
export * from './semconv.ts';
export {
  type CallSpan,
  type CallSpanOptions,
  isThenable,
  type Observe,
  type OnResult,
  observeFromSide,
  recordError,
  startCallSpan,
  type TracedCall,
  traceCall,
  traceCallOf,
} from './span-call.ts';
export {
  BurnrateSpanProcessor,
  type BurnrateSpanProcessorOptions,
  type ProcessedSpan,
} from './span-processor.ts';
export {
  type IteratorOwner,
  ownsIterator,
  type StreamEnd,
  type StreamHooks,
  wrapIteratorFactory,
  wrapStreamInPlace,
} from './span-stream.ts';
export {
  abandonOpenStreams,
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  StreamWatch,
  setStreamIdleTimeout,
  streamIdleTimeoutFromEnv,
  type WatchedEnd,
} from './stream-watch.ts';
export {
  type ChatMessageLike,
  chatTally,
  contentText,
  countChatTokens,
  countTally,
  countTextTokens,
  type Encoding,
  encodingForModel,
  encodingLoaded,
  estimateTally,
  type TokenTally,
  textTally,
} from './token-count.ts';
export {
  countTokensOffThread,
  DEFAULT_TOKEN_COUNT_TIMEOUT_MS,
  pendingTokenCounts,
  setTokenCountTimeout,
  settlePendingTokenCounts,
} from './token-counter.ts';
export {
  count,
  finiteNumber,
  traceVectorCall,
  urlTarget,
  type VectorRequest,
  type VectorResult,
  type VectorTarget,
  vectorCallAttributes,
  vectorCallName,
} from './vector-call.ts';
