export { MistralInstrumentation, type MistralInstrumentationConfig } from './instrumentation.ts';
