import {
  type AgentFacts,
  BurnrateInstrumentation,
  type PatchedModule,
  safely,
  withAgentRun,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { patchModelClass, type Wrap } from './model-calls.ts';
import { convertToolsScoped } from './tool-calls.ts';

export type MastraInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
const AGENT_MODULE = '@mastra/core/agent';

/** The agent methods that run the agent loop (the legacy ones are Mastra 0.x's and 1.x's v1 path). */
const RUNS: readonly { method: string; streamed: boolean }[] = [
  { method: 'generate', streamed: false },
  { method: 'stream', streamed: true },
  { method: 'generateLegacy', streamed: false },
  { method: 'streamLegacy', streamed: true },
];

/** The little of Mastra's `Agent` read here. */
interface AgentLike {
  name?: unknown;
  id?: unknown;
}
interface OptionsLike {
  threadId?: unknown;
  memory?: { thread?: unknown } | null;
}
type Method = (this: unknown, ...args: never[]) => unknown;

function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}
function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The run's facts: the agent's name (else its id) and the memory thread, when given. */
export function agentFacts(agent: AgentLike, options: unknown): AgentFacts {
  const facts: AgentFacts = {};
  const name = text(agent.name) ?? text(agent.id);
  if (name) facts.agent = name;
  if (isObject(options)) {
    const o = options as OptionsLike;
    const thread = isObject(o.memory) ? o.memory.thread : undefined;
    const id = text(thread) ?? (isObject(thread) ? text(thread.id) : undefined) ?? text(o.threadId);
    if (id) facts.conversation = id;
  }
  return facts;
}

/**
 * A streamed run ends when Mastra's output has finished: its `text` promise (1.x
 * `MastraModelOutput`, the legacy stream result) settles once the loop is done.
 */
function outputDone(result: unknown): PromiseLike<unknown> | undefined {
  if (!isObject(result)) return undefined;
  const done = result.text;
  return isObject(done) && typeof done.then === 'function'
    ? (done as unknown as PromiseLike<unknown>)
    : undefined;
}

/**
 * Mastra agents: `agent.generate` / `agent.stream` (and their legacy forms) are an agent run
 * (`withAgentRun`) named after the agent, with the memory thread as the conversation; an agent
 * called inside another's run (a sub-agent, an agent network) joins it under its own name. Its
 * model calls, which reach the AI SDK provider directly, are priced (model-calls.ts); calls made
 * inside one of its tools carry the tool's name (tool-calls.ts). Fails open.
 */
export class MastraInstrumentation extends BurnrateInstrumentation<MastraInstrumentationConfig> {
  constructor(config: MastraInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-mastra', VERSION, config);
  }

  get modules(): readonly PatchedModule[] {
    return [{ name: AGENT_MODULE, versions: ['>=1.0.0 <2'] }];
  }

  patchExports(moduleName: string, exports: unknown): void {
    if (moduleName !== AGENT_MODULE || !isObject(exports)) return;
    const agent = exports.Agent;
    if (typeof agent !== 'function') return;
    const proto = agent.prototype as object;
    for (const { method, streamed } of RUNS) {
      this.wrapMethod(proto, method, (original) => agentRun(this, original, streamed));
    }
    const on = () => this.isEnabled();
    // The tools a run converts: a call made inside one carries its name (tool-calls.ts).
    this.wrapMethod(proto, 'convertTools', (original) => convertToolsScoped(original, on));
    // Every model an agent runs is resolved here (Mastra wraps it): its class is patched then.
    const wrap: Wrap = (target, name, wrapper) => this.wrapMethod(target, name, wrapper);
    const tracer = () => this.tracer;
    this.wrapMethod(
      proto,
      'resolveModelConfig',
      (original) =>
        function (this: unknown, ...args: unknown[]): unknown {
          const resolved = Reflect.apply(original, this, args);
          safely('finding a Mastra model class', () => {
            if (isObject(resolved) && typeof resolved.then === 'function') {
              (resolved as unknown as PromiseLike<unknown>).then(
                (model) =>
                  safely('patching a Mastra model class', () =>
                    patchModelClass(model, wrap, tracer, on),
                  ),
                () => undefined,
              );
            } else patchModelClass(resolved, wrap, tracer, on);
          });
          return resolved;
        },
    );
  }
}

function agentRun(
  instrumentation: MastraInstrumentation,
  original: Method,
  streamed: boolean,
): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!instrumentation.isEnabled()) return Reflect.apply(original, this, args);
    const agent = (isObject(this) ? this : {}) as AgentLike;
    const facts = safely('reading a Mastra agent', () => agentFacts(agent, args[1])) ?? {};
    const call = () => Reflect.apply(original, this, args);
    return withAgentRun(facts, call, streamed ? { until: outputDone } : {});
  };
}
