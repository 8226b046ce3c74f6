export {
  BENCH_ITERATIONS,
  BENCH_ONLY,
  BENCH_ROUNDS,
  BENCH_WARMUP,
  benchTracerProvider,
  CPU_TABLE_HEADER,
  compareCpu,
} from './bench-cpu.ts';
export { loadHar, RECORDED_DIR, type RecordedExchange } from './har.ts';
export * from './model-clients.ts';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.ts';
export {
  exchange,
  type ReceivedRequest,
  type ReplayServer,
  sseBody,
  startReplayServer,
} from './replay-server.ts';
export { setupTracing, type TestTracing } from './tracing.ts';
