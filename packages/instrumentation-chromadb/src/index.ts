export {
  ChromaInstrumentation,
  type ChromaInstrumentationConfig,
  DB_SYSTEM,
} from './instrumentation.ts';
