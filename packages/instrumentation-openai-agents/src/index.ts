export {
  OpenAIAgentsInstrumentation,
  type OpenAIAgentsInstrumentationConfig,
} from './instrumentation.ts';
