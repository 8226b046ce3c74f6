import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  context as otelContext,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import {
  type AgentFacts,
  type AttributionScope,
  agentFactsOf,
  attributionScope,
  runInScope,
} from './attribution.ts';
import { burnrateLogger, safely } from './fail-open.ts';
import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_COST_USD,
  ATTR_BURNRATE_ENDPOINT,
  ATTR_BURNRATE_RUN_CALLS,
  ATTR_BURNRATE_RUN_COST_USD,
  ATTR_BURNRATE_RUN_ID,
  ATTR_BURNRATE_RUN_INPUT_TOKENS,
  ATTR_BURNRATE_RUN_OUTPUT_TOKENS,
  ATTR_BURNRATE_RUN_STEP,
  ATTR_BURNRATE_RUN_UNPRICED_CALLS,
  ATTR_BURNRATE_TEAM,
  ATTR_BURNRATE_TENANT,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION_INVOKE_AGENT,
} from './semconv.ts';

/**
 * Agent runs. One run is a top-level agent run (a framework's `run()`/`invoke()`, a `withBudget`
 * scope): nested runs join the outer one. Every priced model call ending inside it gets the run's
 * id and its step number (1, 2, …); when the run has ended and no span started inside it is still
 * open, one `invoke_agent` span carries its totals (the Collector makes the per-run histograms
 * from it; it carries no cost mark, so it is never counted as spend).
 */
export interface AgentRun {
  readonly id: string;
  /** The top-level agent, as known when the run started. */
  readonly agent: string | undefined;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** Priced (or unpriced) model calls ended so far. */
  readonly calls: number;
  /** Dollars of the priced ones. */
  readonly costUsd: number;
  /** The run's scope has returned (its spans may still be open). */
  readonly ended: boolean;
}

/** A run left open this long after its scope returned is finalized anyway (a leaked span). */
const MAX_OPEN_AFTER_END_MS = 10 * 60_000;
const idPrefix = randomBytes(6).toString('hex');
let sequence = 0;

export class RunState implements AgentRun {
  readonly id = `${idPrefix}-${(++sequence).toString(36)}`;
  readonly agent: string | undefined;
  readonly startedAt = Date.now();
  readonly #context: Context;
  readonly #labels: Attributes;
  calls = 0;
  costUsd = 0;
  unpricedCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  ended = false;
  finalized = false;
  #open = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(facts: AgentFacts, scope: AttributionScope | undefined, ctx: Context) {
    this.agent = facts.agent;
    this.#context = ctx;
    const labels: Attributes = {};
    if (scope?.team) labels[ATTR_BURNRATE_TEAM] = scope.team;
    if (scope?.endpoint) labels[ATTR_BURNRATE_ENDPOINT] = scope.endpoint;
    if (scope?.tenant) labels[ATTR_BURNRATE_TENANT] = scope.tenant;
    if (facts.conversation) labels[ATTR_GEN_AI_CONVERSATION_ID] = facts.conversation;
    this.#labels = labels;
  }

  /** A span started inside the run (the span processor's onStart). */
  spanStarted(): void {
    if (!this.finalized) this.#open++;
  }

  /** A span started inside the run ended. */
  spanEnded(): void {
    if (this.finalized) return;
    this.#open--;
    if (this.ended && this.#open <= 0) this.#finalizeSoon();
  }

  /**
   * A priced (or unpriced) model call ended inside the run, while its span can still be written:
   * its step number and the run id go on it, its dollars and tokens into the run's totals.
   */
  recordCall(attributes: Attributes, set: (attributes: Attributes) => unknown): void {
    if (this.finalized) return;
    const step = ++this.calls;
    set({ [ATTR_BURNRATE_RUN_ID]: this.id, [ATTR_BURNRATE_RUN_STEP]: step });
    const cost = attributes[ATTR_BURNRATE_COST_USD];
    if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) this.costUsd += cost;
    else this.unpricedCalls++;
    this.inputTokens += whole(attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]);
    this.outputTokens += whole(attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]);
  }

  /** The run's scope returned (or its `until` settled). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.#open <= 0) this.#finalizeSoon();
    else {
      this.#timer = setTimeout(() => this.#finalize(), MAX_OPEN_AFTER_END_MS);
      this.#timer.unref?.();
    }
  }

  #finalizeSoon(): void {
    // A tick later: a span ending now may be followed at once by the next call of a stream.
    setImmediate(() => {
      if (this.#open <= 0) this.#finalize();
    }).unref?.();
  }

  #finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.calls === 0) return;
    safely('agent run span', () => {
      const attributes: Attributes = {
        ...this.#labels,
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_INVOKE_AGENT,
        [ATTR_BURNRATE_RUN_ID]: this.id,
        [ATTR_BURNRATE_RUN_COST_USD]: this.costUsd,
        [ATTR_BURNRATE_RUN_CALLS]: this.calls,
        [ATTR_BURNRATE_RUN_UNPRICED_CALLS]: this.unpricedCalls,
        [ATTR_BURNRATE_RUN_INPUT_TOKENS]: this.inputTokens,
        [ATTR_BURNRATE_RUN_OUTPUT_TOKENS]: this.outputTokens,
      };
      if (this.agent) attributes[ATTR_GEN_AI_AGENT_NAME] = this.agent;
      const name = this.agent
        ? `${GEN_AI_OPERATION_INVOKE_AGENT} ${this.agent}`
        : GEN_AI_OPERATION_INVOKE_AGENT;
      // Outside the run's own scope, so the run span is no member of the run it describes.
      runInScope({}, () =>
        trace
          .getTracer('@burnrate/core')
          .startSpan(
            name,
            { kind: SpanKind.INTERNAL, startTime: this.startedAt, attributes },
            this.#context,
          )
          .end(),
      );
    });
  }
}

function whole(v: AttributeValue | undefined): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

/** True for a span the run counts as one of its model calls. */
export function isRunModelCall(attributes: Attributes): boolean {
  const op = attributes[ATTR_GEN_AI_OPERATION_NAME];
  return (
    attributes[ATTR_BURNRATE_COST_SOURCE] !== undefined &&
    op !== undefined &&
    op !== GEN_AI_OPERATION_INVOKE_AGENT
  );
}

export interface AgentRunOptions<T> {
  /**
   * For a run whose result outlives the call (a streamed run): the run ends when this settles.
   * Called with the resolved result.
   */
  until?: (result: Awaited<T>) => PromiseLike<unknown> | undefined;
  /** The facts are the caller's own (`withBudget`), not a framework's: they win over frameworks'. */
  explicit?: boolean;
}

interface Thenable {
  then(onFulfilled: (value: unknown) => unknown, onRejected: (reason: unknown) => unknown): unknown;
}
function thenable(v: unknown): v is Thenable {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

function scopeWith(
  outer: AttributionScope | undefined,
  facts: AgentFacts,
  explicit: boolean,
  run: RunState | undefined,
): AttributionScope {
  const scope: { -readonly [K in keyof AttributionScope]: AttributionScope[K] } = { ...outer };
  const target: AgentFacts = explicit ? scope : { ...outer?.framework };
  for (const key of ['agent', 'conversation', 'session', 'tool'] as const) {
    const v = facts[key];
    if (typeof v === 'string' && v !== '' && !(explicit && key === 'tool')) target[key] = v;
  }
  if (!explicit) scope.framework = target;
  if (run) scope.run = run;
  return scope;
}

/**
 * Runs `fn` as an agent run with these facts (see `withFrameworkAgent`). The outermost run in an
 * async context starts a run; nested ones join it (their facts still apply to their calls). The
 * run ends when `fn`'s result settles (or at once when it is not a promise), or with `until`,
 * when that settles. Never changes what `fn` returns or throws.
 */
export function withAgentRun<T>(
  facts: AgentFacts,
  fn: () => T,
  options: AgentRunOptions<T> = {},
): T {
  const outer = attributionScope();
  const explicit = options.explicit === true;
  if (outer?.run && !outer.run.finalized) {
    return runInScope(scopeWith(outer, facts, explicit, undefined), fn);
  }
  let run: RunState | undefined;
  let scope: AttributionScope;
  try {
    const inner = scopeWith(outer, facts, explicit, undefined);
    run = new RunState(agentFactsOf(inner), inner, otelContext.active());
    scope = { ...inner, run };
  } catch (error) {
    burnrateLogger.warn('starting agent run failed; the run is not tracked', error);
    return fn();
  }
  let result: T;
  try {
    result = runInScope(scope, fn);
  } catch (error) {
    run.end();
    throw error;
  }
  endWhenSettled(result, run, options.until);
  return result;
}

/**
 * Ends `run` when `result` settles (or `until(value)` does). Apart from `withAgentRun`: the
 * closures that end the run must not hold `result` (a streamed run's result is the stream, which
 * must stay collectable while its run waits for it to end).
 */
function endWhenSettled<T>(result: T, run: RunState, until: AgentRunOptions<T>['until']): void {
  const end = () => run.end();
  const afterValue = (value: unknown) => {
    const settled = until ? safely('agent run until', () => until(value as Awaited<T>)) : undefined;
    if (thenable(settled)) settled.then(end, end);
    else end();
  };
  try {
    if (thenable(result)) result.then(afterValue, end);
    else afterValue(result);
  } catch (error) {
    burnrateLogger.warn('agent run end failed; the run is not tracked', error);
  }
}

/** The run in force, if any (finalized runs are not). */
export function currentAgentRun(): AgentRun | undefined {
  const run = attributionScope()?.run;
  return run && !run.finalized ? run : undefined;
}
