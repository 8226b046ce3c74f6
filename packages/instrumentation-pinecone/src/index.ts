export {
  DB_SYSTEM,
  PineconeInstrumentation,
  type PineconeInstrumentationConfig,
} from './instrumentation.ts';
