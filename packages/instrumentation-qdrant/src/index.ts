export {
  DB_SYSTEM,
  QdrantInstrumentation,
  type QdrantInstrumentationConfig,
} from './instrumentation.ts';
