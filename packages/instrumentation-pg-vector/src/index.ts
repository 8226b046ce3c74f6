export { PgVectorInstrumentation, type PgVectorInstrumentationConfig } from './instrumentation.ts';
export {
  classifySql,
  isVectorLiteral,
  type PgVectorOperation,
  type VectorStatement,
} from './sql.ts';
