export {
  LangChainInstrumentation,
  type LangChainInstrumentationConfig,
} from './instrumentation.ts';
