/** Helpers for the model-client instrumentations (Anthropic, Bedrock): re-exported by index.ts. */

export { type BenchResult, benchRow } from './bench.ts';
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
