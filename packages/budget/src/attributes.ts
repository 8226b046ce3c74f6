/** Span attributes the budget gates write (Burnrate's own `burnrate.budget.*` names). */

/** Session and agent attribution (OpenTelemetry semantic conventions). */
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';

/** In-process budgets (`withBudget`). */
export const ATTR_BUDGET_NAME = 'burnrate.budget.name';
/** `allow`, `degrade` or `block`. */
export const ATTR_BUDGET_DECISION = 'burnrate.budget.decision';
/** Why: `within_budget`, `soft_limit`, `over_limit_usd`, `over_limit_tokens`, `unpriced`. */
export const ATTR_BUDGET_REASON = 'burnrate.budget.reason';
export const ATTR_BUDGET_LIMIT_USD = 'burnrate.budget.limit_usd';
/** Settled spend of the scope before this call. */
export const ATTR_BUDGET_SPENT_USD = 'burnrate.budget.spent_usd';
/** The worst case reserved for this call. */
export const ATTR_BUDGET_RESERVED_USD = 'burnrate.budget.reserved_usd';
export const ATTR_BUDGET_RESERVED_TOKENS = 'burnrate.budget.reserved_tokens';
/** What a degrade changed: the caller's model and output cap before the change. */
export const ATTR_BUDGET_ORIGINAL_MODEL = 'burnrate.budget.original_model';
export const ATTR_BUDGET_ORIGINAL_MAX_TOKENS = 'burnrate.budget.original_max_tokens';
/** Comma-separated list of what was changed: `max_tokens`, `model`. */
export const ATTR_BUDGET_CHANGED = 'burnrate.budget.changed';

/** Gates fed by the budget evaluator. */
export const ATTR_EVALUATOR_BUDGET = 'burnrate.budget.evaluator.budget';
/** `allow`, `degrade`, `block`, or `record` (the policy only records what it would do). */
export const ATTR_EVALUATOR_DECISION = 'burnrate.budget.evaluator.decision';
/** The budget's state as the evaluator reported it: `ok`, `warning`, `exceeded`. */
export const ATTR_EVALUATOR_STATE = 'burnrate.budget.evaluator.state';
export const ATTR_EVALUATOR_MODE = 'burnrate.budget.evaluator.mode';
export const ATTR_EVALUATOR_UTILIZATION = 'burnrate.budget.evaluator.utilization';
/** How fresh the cached states are: `fresh`, `stale` or `unreachable`. */
export const ATTR_EVALUATOR_STATUS = 'burnrate.budget.evaluator.status';
/** With `record`: what `block`/`degrade` would have done. */
export const ATTR_EVALUATOR_WOULD = 'burnrate.budget.evaluator.would';
/** With `degrade`: what was changed (`max_tokens`, `model`, or `none`) and the caller's values. */
export const ATTR_EVALUATOR_CHANGED = 'burnrate.budget.evaluator.changed';
export const ATTR_EVALUATOR_ORIGINAL_MODEL = 'burnrate.budget.evaluator.original_model';
export const ATTR_EVALUATOR_ORIGINAL_MAX_TOKENS = 'burnrate.budget.evaluator.original_max_tokens';
