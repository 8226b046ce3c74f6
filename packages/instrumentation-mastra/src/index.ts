export { MastraInstrumentation, type MastraInstrumentationConfig } from './instrumentation.ts';
