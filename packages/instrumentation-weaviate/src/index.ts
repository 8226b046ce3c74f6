export { WeaviateInstrumentation, type WeaviateInstrumentationConfig } from './instrumentation.ts';
