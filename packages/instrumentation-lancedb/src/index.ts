export { LanceDBInstrumentation, type LanceDBInstrumentationConfig } from './instrumentation.ts';
