export {
  GoogleGenAIInstrumentation,
  type GoogleGenAIInstrumentationConfig,
} from './instrumentation.ts';
