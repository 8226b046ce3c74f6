export * from './attributes.ts';
export { configureBreaker, VELOCITY_WINDOW_MS } from './breaker.ts';
export { breakerOptionsFromEnv, startBreakerFromEnv } from './breaker-env.ts';
export type { BreakerLimits, BreakerMode, BreakerOptions } from './breaker-options.ts';
export { Budget, type BudgetSnapshot, createBudget } from './budget.ts';
export { type BudgetExceededDetails, BudgetExceededError, type ExceededKind } from './errors.ts';
export {
  type EvaluatorDecision,
  EvaluatorGate,
  type EvaluatorGateOptions,
} from './evaluator/decide.ts';
export {
  type BudgetGatesHandle,
  type BudgetGatesOptions,
  budgetGatesOptionsFromEnv,
  startBudgetGates,
  startBudgetGatesFromEnv,
} from './evaluator/env.ts';
export { callLabels, type ResourceLabels, resourceLabels } from './evaluator/labels.ts';
export { EvaluatorPoller, type Freshness } from './evaluator/poller.ts';
export { type EvaluatedBudget, EvaluatorResponseError, parseStatus } from './evaluator/status.ts';
export { budgetGate, removeBudgetGate } from './gate.ts';
export { NANO_PER_USD, toNano, toUsd } from './money.ts';
export {
  BudgetConfigError,
  type BudgetOptions,
  type SoftLimitOptions,
} from './options.ts';
export {
  FALLBACK_OUTPUT_TOKENS,
  outputTokensToReserve,
  PUBLISHED_MAX_OUTPUT,
  publishedMaxOutput,
} from './output-limits.ts';
export { currentBudget, withBudget } from './scope.ts';
export { BudgetSpanProcessor } from './span-processor.ts';
