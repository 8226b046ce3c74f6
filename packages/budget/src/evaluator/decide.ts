import type { ModelCallRequest } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_EVALUATOR_BUDGET,
  ATTR_EVALUATOR_CHANGED,
  ATTR_EVALUATOR_DECISION,
  ATTR_EVALUATOR_MODE,
  ATTR_EVALUATOR_ORIGINAL_MAX_TOKENS,
  ATTR_EVALUATOR_ORIGINAL_MODEL,
  ATTR_EVALUATOR_STATE,
  ATTR_EVALUATOR_STATUS,
  ATTR_EVALUATOR_UTILIZATION,
  ATTR_EVALUATOR_WOULD,
} from '../attributes.ts';
import { BudgetExceededError } from '../errors.ts';
import { callLabels, type ResourceLabels } from './labels.ts';
import type { EvaluatorPoller } from './poller.ts';
import type { EvaluatedBudget } from './status.ts';

export interface EvaluatorGateOptions {
  /** Fail closed: refuse every model call while the evaluator cannot be read. Default open. */
  failClosed: boolean;
  /** For `degrade`: the cheaper model to use instead (`gpt-4o` -> `gpt-4o-mini`). */
  degradeModels: Readonly<Record<string, string>>;
  /** For `degrade`: the output cap to hold calls to. */
  degradeMaxTokens: number | undefined;
  resource: ResourceLabels;
}

/** What the evaluator-fed gate decided for a call. */
export interface EvaluatorDecision {
  block?: BudgetExceededError;
  model?: string;
  maxOutputTokens?: number;
  attributes: Attributes;
}

type Action = 'allow' | 'record' | 'degrade' | 'block';
const RANK: Record<Action, number> = { allow: 0, record: 1, degrade: 2, block: 3 };

/** What a budget's policy does to a matching call right now. */
function actionOf(b: EvaluatedBudget): { action: Action; would?: 'block' | 'degrade' } {
  const exceeded = b.state === 'exceeded';
  if (b.mode === 'block') return { action: exceeded ? 'block' : 'allow' };
  if (b.mode === 'degrade')
    return { action: b.utilization >= b.degradeAt || exceeded ? 'degrade' : 'allow' };
  return exceeded ? { action: 'record', would: 'block' } : { action: 'allow' };
}

const MAX_CACHED = 2048;

/**
 * Applies the evaluator's budgets to calls from the cached states: which budgets a call's
 * labels match is cached per label set until the next refresh, so a check is a map lookup.
 */
export class EvaluatorGate {
  readonly poller: EvaluatorPoller;
  readonly options: EvaluatorGateOptions;
  #cache = new Map<string, EvaluatedBudget[]>();
  #generation = -1;

  constructor(poller: EvaluatorPoller, options: EvaluatorGateOptions) {
    this.poller = poller;
    this.options = options;
  }

  #matching(req: ModelCallRequest): EvaluatedBudget[] {
    if (this.#generation !== this.poller.generation || this.#cache.size > MAX_CACHED) {
      this.#cache.clear();
      this.#generation = this.poller.generation;
    }
    const a = req.attribution;
    const key = `${a.team}\u0000${a.endpoint}\u0000${a.tenant}\u0000${req.provider}\u0000${req.model}\u0000${req.operation}`;
    let hit = this.#cache.get(key);
    if (!hit) {
      const labels = callLabels(req, req.model, this.options.resource);
      hit = this.poller.states.filter((b) => b.llm && b.match(labels));
      this.#cache.set(key, hit);
    }
    return hit;
  }

  decide(req: ModelCallRequest): EvaluatorDecision {
    const freshness = this.poller.freshness();
    const attributes: Attributes = { [ATTR_EVALUATOR_STATUS]: freshness };
    if (freshness === 'unreachable') {
      if (!this.options.failClosed) {
        attributes[ATTR_EVALUATOR_DECISION] = 'allow';
        return { attributes };
      }
      attributes[ATTR_EVALUATOR_DECISION] = 'block';
      const why = this.poller.lastError ?? 'no budget states yet';
      const block = new BudgetExceededError(
        { kind: 'evaluator_unreachable', budget: '*', provider: req.provider, model: req.model },
        `budget gates fail closed: the budget evaluator ${this.poller.options.url} cannot be read (${why})`,
      );
      return { block, attributes };
    }
    let worst: EvaluatedBudget | undefined;
    let chosen: { action: Action; would?: 'block' | 'degrade' } = { action: 'allow' };
    for (const b of this.#matching(req)) {
      const act = actionOf(b);
      if (!worst || RANK[act.action] > RANK[chosen.action]) {
        worst = b;
        chosen = act;
      }
    }
    attributes[ATTR_EVALUATOR_DECISION] = chosen.action;
    if (!worst) return { attributes };
    Object.assign(attributes, {
      [ATTR_EVALUATOR_BUDGET]: worst.name,
      [ATTR_EVALUATOR_STATE]: worst.state,
      [ATTR_EVALUATOR_MODE]: worst.mode,
      [ATTR_EVALUATOR_UTILIZATION]: worst.utilization,
    });
    if (chosen.would) attributes[ATTR_EVALUATOR_WOULD] = chosen.would;
    if (chosen.action === 'block') {
      const block = new BudgetExceededError(
        {
          kind: 'evaluator',
          budget: worst.name,
          provider: req.provider,
          model: req.model,
          limitUsd: worst.limitUsd,
          spentUsd: worst.spentUsd,
        },
        `budget "${worst.name}" is exceeded: $${worst.spentUsd.toFixed(2)} spent of $${worst.limitUsd.toFixed(2)} (enforcement: block)`,
      );
      return { block, attributes };
    }
    if (chosen.action !== 'degrade') return { attributes };
    const out: EvaluatorDecision = { attributes };
    const cheaper = req.model ? this.options.degradeModels[req.model] : undefined;
    if (cheaper) out.model = cheaper;
    const cap = this.options.degradeMaxTokens;
    if (cap !== undefined && (req.maxOutputTokens === undefined || req.maxOutputTokens > cap)) {
      out.maxOutputTokens = cap;
    }
    const changed = [out.maxOutputTokens !== undefined ? 'max_tokens' : '', cheaper ? 'model' : ''];
    attributes[ATTR_EVALUATOR_CHANGED] = changed.filter(Boolean).join(',') || 'none';
    if (cheaper && req.model) attributes[ATTR_EVALUATOR_ORIGINAL_MODEL] = req.model;
    if (out.maxOutputTokens !== undefined && req.maxOutputTokens !== undefined) {
      attributes[ATTR_EVALUATOR_ORIGINAL_MAX_TOKENS] = req.maxOutputTokens;
    }
    return out;
  }
}
