export {
  LlamaIndexInstrumentation,
  type LlamaIndexInstrumentationConfig,
} from './instrumentation.ts';
