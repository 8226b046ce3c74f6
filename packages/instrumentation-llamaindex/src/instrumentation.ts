import {
  type AgentFacts,
  BurnrateInstrumentation,
  currentAgentRun,
  type PatchedModule,
  safely,
  withAgentRun,
  withFrameworkAgent,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { patchToolCall, runnerChat } from './legacy.ts';
import { watchStreamEnd } from './stream-end.ts';
import {
  type AgentWorkflowLike,
  type FunctionAgentLike,
  isObject,
  type Method,
  type ToolCallLike,
  text,
} from './types.ts';

export type LlamaIndexInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
const WORKFLOW = '@llamaindex/workflow';
const CORE_AGENT = '@llamaindex/core/agent';
const CORE_TOOLS = '@llamaindex/core/tools';

/**
 * Agent attribution for LlamaIndex.TS agents, read from what `@llamaindex/workflow` already
 * knows; it prices nothing itself (the model SDK's instrumentation does, under it: `openai`, which
 * `@llamaindex/openai` brings):
 *
 * - an `AgentWorkflow`'s `run` / `runStream` (what `agent()` and `multiAgent()` return) is an
 *   agent run (`withAgentRun`), named after the workflow's root agent; a stream's run ends when
 *   the caller is done with the stream;
 * - a `FunctionAgent`'s `takeStep` (its model call) and `getStructuredOutput` name the agent of
 *   their calls, so each agent of a multi-agent workflow (handoffs included) is its own;
 * - `AgentWorkflow#callTool` names the tool, and its agent, of every model call made while the
 *   tool runs (`gen_ai.tool.name`); a `FunctionTool`'s own `call` (what `tool()` makes, whoever
 *   calls it) names its tool too;
 * - the older agents (`AgentRunner#chat`: `ReActAgent`, `LLMAgent`, `OpenAIAgent`) are a run
 *   named after the agent's class (legacy.ts).
 *
 * The workflow runs its steps from the `sendEvent` of `runStream` and from its handlers' promise
 * continuations, so a scope entered around `run` / `runStream` is in force in every step.
 * Explicit `withBudget` / `withAttribution` values win. Fails open.
 */
export class LlamaIndexInstrumentation extends BurnrateInstrumentation<LlamaIndexInstrumentationConfig> {
  constructor(config: LlamaIndexInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-llamaindex', VERSION, config);
  }

  get modules(): readonly PatchedModule[] {
    return [
      { name: WORKFLOW, versions: ['>=1.0.0 <2'] },
      { name: CORE_AGENT, versions: ['>=0.6.0 <0.7'] },
      { name: CORE_TOOLS, versions: ['>=0.6.0 <0.7'] },
    ];
  }

  patchExports(moduleName: string, exports: unknown): void {
    if (!isObject(exports)) return;
    const enabled = () => this.isEnabled();
    if (moduleName === CORE_AGENT) {
      const runner = exports.AgentRunner;
      if (typeof runner === 'function' && isObject(runner.prototype)) {
        this.wrapMethod(runner.prototype, 'chat', (original) => runnerChat(enabled, original));
      }
      return;
    }
    if (moduleName === CORE_TOOLS) {
      patchToolCall(exports.FunctionTool, enabled);
      return;
    }
    const workflow = exports.AgentWorkflow;
    if (typeof workflow === 'function' && isObject(workflow.prototype)) {
      const proto = workflow.prototype;
      this.wrapMethod(proto, 'run', (original) => workflowRun(this, original, false));
      this.wrapMethod(proto, 'runStream', (original) => workflowRun(this, original, true));
      this.wrapMethod(proto, 'callTool', (original) => toolCall(this, original));
    }
    const agent = exports.FunctionAgent;
    if (typeof agent === 'function' && isObject(agent.prototype)) {
      this.wrapMethod(agent.prototype, 'takeStep', (original) => agentCall(this, original));
      this.wrapMethod(agent.prototype, 'getStructuredOutput', (original) =>
        agentCall(this, original),
      );
    }
  }
}

/**
 * `AgentWorkflow#run` / `#runStream`: one agent run, named after the root agent. Inside a run
 * already (`run` reads its own `runStream`; a workflow called by another agent), it joins that
 * run, whose end is not this call's: a stream's end is then not watched.
 */
function workflowRun(
  instrumentation: LlamaIndexInstrumentation,
  original: Method,
  streamed: boolean,
): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!instrumentation.isEnabled()) return Reflect.apply(original, this, args);
    const facts: AgentFacts =
      safely('reading a LlamaIndex workflow', () => ({
        agent: text((this as AgentWorkflowLike | undefined)?.rootAgentName),
      })) ?? {};
    const call = () => Reflect.apply(original, this, args);
    if (currentAgentRun()) return withFrameworkAgent(facts, call);
    if (!streamed) return withAgentRun(facts, call);
    let settle: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      settle = resolve;
    });
    return withAgentRun(facts, () => watchStreamEnd(call(), settle), { until: () => ended });
  };
}

/** `FunctionAgent#takeStep` / `#getStructuredOutput`: the agent's own model calls. */
function agentCall(instrumentation: LlamaIndexInstrumentation, original: Method): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!instrumentation.isEnabled()) return Reflect.apply(original, this, args);
    const agent = safely('reading a LlamaIndex agent', () =>
      text((this as FunctionAgentLike | undefined)?.name),
    );
    const call = () => Reflect.apply(original, this, args);
    return agent ? withFrameworkAgent({ agent }, call) : call();
  };
}

/** `AgentWorkflow#callTool(toolCall)`: the tool, and the agent that called it. */
function toolCall(instrumentation: LlamaIndexInstrumentation, original: Method): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!instrumentation.isEnabled()) return Reflect.apply(original, this, args);
    const facts = safely('reading a LlamaIndex tool call', () => {
      const call = (isObject(args[0]) ? args[0] : {}) as ToolCallLike;
      const found: AgentFacts = { tool: text(call.toolName), agent: text(call.agentName) };
      return found.tool || found.agent ? found : undefined;
    });
    const call = () => Reflect.apply(original, this, args);
    return facts ? withFrameworkAgent(facts, call) : call();
  };
}
