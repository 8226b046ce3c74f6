/** Helpers for the model-client instrumentations (Anthropic, Bedrock): re-exported by index.ts. */

export {
  BENCH_HEADER,
  type BenchOptions,
  type BenchResult,
  benchFrameworkHooks,
  benchRow,
  type CpuBenchOptions,
  compareCpuPerCall,
  comparePerCall,
  cpuBenchRow,
} from './bench.ts';
export {
  bedrockChunkStream,
  converseEventStream,
  type EventStreamMessage,
  encodeEventStream,
  eventMessage,
  exceptionMessage,
} from './event-stream.ts';
export {
  type Http2Exchange,
  type Http2ReplayServer,
  startHttp2ReplayServer,
} from './http2-replay-server.ts';
export { loadRecording } from './recorded-text.ts';
