export {
  assertPricedCall,
  BENCH_ITERATIONS,
  BENCH_ONLY,
  BENCH_ROUNDS,
  BENCH_WARMUP,
  benchFrameworkHooks,
  benchTracerProvider,
  CPU_TABLE_HEADER,
  compareCpu,
  FLOOR_ROW,
  floorRow,
  inBareSpan,
  useBenchPricesFile,
} from './bench-cpu.ts';
export {
  benchToggledCalls,
  type ToggledBench,
  type ToggledCase,
  type ToggledInstrumentation,
} from './bench-toggled.ts';
export { expectBlockingGateRefuses } from './gate-checks.ts';
export { loadHar, RECORDED_DIR, type RecordedExchange } from './har.ts';
export {
  type HarnessInstrumentation,
  type InstrumentedHarness,
  useInstrumentedHarness,
} from './harness.ts';
export * from './model-clients.ts';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.ts';
export {
  createReplayRequestHandler,
  type ReplayRequestHandler,
  type SmithyRequestLike,
  type SmithyResponseLike,
} from './replay-aws-handler.ts';
export {
  createReplayFetch,
  type ReplayFetch,
  type ReplayTransportOptions,
} from './replay-fetch.ts';
export { type ReplayExchange, ReplayRoutes } from './replay-routes.ts';
export {
  exchange,
  type ReceivedRequest,
  type ReplayServer,
  sseBody,
  startReplayServer,
} from './replay-server.ts';
export { expectAbortUnchanged, readAborting } from './stream-checks.ts';
export { throwingPricer } from './throwing-pricer.ts';
export { setupTracing, type TestTracing } from './tracing.ts';
