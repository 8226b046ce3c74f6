import {
  BurnrateInstrumentation,
  isThenable,
  type PatchedModule,
  safely,
  withAgentRun,
  withFrameworkAgent,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { scopedIterable } from './scoped-iterable.ts';
import { currentSdkAgent, modelCallFacts, runFacts } from './sdk-context.ts';
import {
  type AgentLike,
  type AgentsCoreLike,
  type AnyMethod,
  type FunctionToolLike,
  isObject,
  type ModelLike,
  type RunnerLike,
  str,
} from './types.ts';

export interface OpenAIAgentsInstrumentationConfig extends InstrumentationConfig {
  /**
   * Make each top-level `run()` / `Runner.run` one agent run (`burnrate.run.id`, steps, one
   * `invoke_agent` run span with its cost). Default true; the agent, tool and conversation of each
   * call are recorded either way.
   */
  agentRuns?: boolean;
}

const VERSION = '0.1.0';

type Wrap = (
  target: object | undefined,
  name: string,
  wrapper: (o: AnyMethod) => AnyMethod,
) => void;
type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Agent attribution for the OpenAI Agents SDK (`@openai/agents`, whose core is
 * `@openai/agents-core`), with no code change. The SDK's model calls are priced where they reach
 * the provider (the `openai` SDK, patched by `@burnrate/instrumentation-openai`; the AI SDK
 * adapter's spans); this adds what the SDK knows to every call:
 * - `Runner.prototype.run` (which `run()` calls too) is an agent run: nested runs (an agent used as
 *   a tool) join the outer one; a streamed run ends when its `completed` settles;
 * - every model call (`Model.getResponse` / `getStreamedResponse` of whatever model the runner
 *   resolves) carries the agent running it, read from the SDK's own tracing context, so a handoff
 *   changes it, and the conversation (`conversationId`, else the trace `groupId`);
 * - every function tool's `invoke` (an agent's `asTool()` too) carries the tool's name, so a model
 *   call made while a tool runs has `gen_ai.tool.name`.
 * Explicit attribution (`withBudget({agent})`, `withAttribution`) wins. Every patch fails open.
 */
export class OpenAIAgentsInstrumentation extends BurnrateInstrumentation<OpenAIAgentsInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@openai/agents-core', versions: ['>=0.20.0 <1'] }];
  }

  constructor(config: OpenAIAgentsInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-openai-agents', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const sdk = exports as AgentsCoreLike | undefined;
    if (!sdk) return;
    const wrap: Wrap = (target, name, wrapper) => this.wrapMethod(target, name, wrapper);
    const on = () => this.isEnabled();
    const runs = () => this.getConfig().agentRuns !== false;
    const patchModel = (model: unknown) => patchModelObject(wrap, sdk, on, model);
    wrap(sdk.Runner?.prototype, 'run', (original) =>
      runWrapper(original as Method, on, runs, wrap, patchModel),
    );
    wrap(sdk.Agent?.prototype, 'getAllTools', (original) =>
      toolsWrapper(original as Method, on, wrap, sdk),
    );
    // The runner reads the agent's system prompt right before each model call: a model instance
    // set on the agent (not resolved through the provider) is patched there.
    wrap(sdk.Agent?.prototype, 'getSystemPrompt', (original) => {
      const o = original as Method;
      return function patchedGetSystemPrompt(this: AgentLike, ...args: unknown[]) {
        if (on()) safely('patching an agent model', () => patchModel(this?.model));
        return o.apply(this, args);
      } as AnyMethod;
    });
  }
}

function runWrapper(
  original: Method,
  on: () => boolean,
  runs: () => boolean,
  wrap: Wrap,
  patchModel: (model: unknown) => void,
): AnyMethod {
  return function patchedRun(this: RunnerLike, ...args: unknown[]) {
    if (!on()) return original.apply(this, args);
    const [agent, , options] = args;
    const facts = safely('reading the run', () => {
      patchProvider(wrap, this, patchModel);
      patchModel(this?.config?.model);
      return runFacts(this ?? {}, agent, options);
    });
    const call = () => original.apply(this, args);
    if (!facts) return call();
    if (!runs()) return withFrameworkAgent(facts, call);
    const streamed = isObject(options) && options.stream === true;
    return withAgentRun(facts, call, {
      // A streamed run returns at once: it ends when the stream loop is done.
      until: streamed ? (result: unknown) => completedOf(result) : undefined,
    });
  } as AnyMethod;
}

function completedOf(result: unknown): PromiseLike<unknown> | undefined {
  const completed = isObject(result) ? result.completed : undefined;
  return isThenable(completed) ? (completed as PromiseLike<unknown>) : undefined;
}

/** The owner of an object's methods: its class prototype, or the object itself when plain. */
function methodOwner(obj: object): object {
  const proto = Object.getPrototypeOf(obj) as object | null;
  return proto && proto !== Object.prototype ? proto : obj;
}

/** Wraps the runner's model provider so every model it resolves is patched before it is used. */
function patchProvider(wrap: Wrap, runner: RunnerLike, patchModel: (m: unknown) => void): void {
  const provider = runner?.config?.modelProvider;
  if (!isObject(provider) || typeof provider.getModel !== 'function') return;
  wrap(methodOwner(provider), 'getModel', (original) => {
    const o = original as Method;
    return function patchedGetModel(this: unknown, ...args: unknown[]) {
      const model = o.apply(this, args);
      safely('patching a model', () => {
        if (isThenable(model)) (model as PromiseLike<unknown>).then(patchModel, () => undefined);
        else patchModel(model);
      });
      return model;
    } as AnyMethod;
  });
}

/** Runs a model's calls in the scope of the agent making them (read from the SDK at each call). */
function patchModelObject(wrap: Wrap, sdk: AgentsCoreLike, on: () => boolean, model: unknown) {
  if (!isObject(model)) return;
  const m = model as ModelLike;
  if (typeof m.getResponse !== 'function' && typeof m.getStreamedResponse !== 'function') return;
  const owner = methodOwner(model);
  wrap(owner, 'getResponse', (original) => {
    const o = original as Method;
    return function patchedGetResponse(this: unknown, ...args: unknown[]) {
      if (!on()) return o.apply(this, args);
      const facts = safely('reading the model call', () => modelCallFacts(sdk, args[0]));
      return facts ? withFrameworkAgent(facts, () => o.apply(this, args)) : o.apply(this, args);
    } as AnyMethod;
  });
  wrap(owner, 'getStreamedResponse', (original) => {
    const o = original as Method;
    return function patchedGetStreamedResponse(this: unknown, ...args: unknown[]) {
      if (!on()) return o.apply(this, args);
      const facts = safely('reading the model call', () => modelCallFacts(sdk, args[0]));
      if (!facts) return o.apply(this, args);
      const stream = withFrameworkAgent(facts, () => o.apply(this, args));
      return safely('scoping a model stream', () => scopedIterable(stream, facts)) ?? stream;
    } as AnyMethod;
  });
}

/** Wraps each function tool the runner gets, so a call made while it runs carries its name. */
function toolsWrapper(original: Method, on: () => boolean, wrap: Wrap, sdk: AgentsCoreLike) {
  return function patchedGetAllTools(this: unknown, ...args: unknown[]) {
    const tools = original.apply(this, args);
    if (!on() || !isThenable(tools)) return tools;
    return (tools as PromiseLike<unknown>).then((list) => {
      safely('patching tools', () => {
        if (!Array.isArray(list)) return;
        for (const tool of list as FunctionToolLike[]) patchTool(wrap, sdk, on, tool);
      });
      return list;
    });
  } as AnyMethod;
}

function patchTool(wrap: Wrap, sdk: AgentsCoreLike, on: () => boolean, tool: FunctionToolLike) {
  if (!isObject(tool) || tool.type !== 'function' || typeof tool.invoke !== 'function') return;
  const name = str(tool.name);
  if (!name) return;
  wrap(tool, 'invoke', (original) => {
    const o = original as Method;
    return function patchedInvoke(this: unknown, ...args: unknown[]) {
      if (!on()) return o.apply(this, args);
      const agent = safely('reading the tool call', () => currentSdkAgent(sdk));
      return withFrameworkAgent(agent ? { tool: name, agent } : { tool: name }, () =>
        o.apply(this, args),
      );
    } as AnyMethod;
  });
}
