import {
  BurnrateInstrumentation,
  currentAgentRun,
  type PatchedModule,
  safely,
  withAgentRun,
  withFrameworkAgent,
} from '@burnrate/core';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { graphFacts, nodeFacts, streamedRun } from './graph.ts';
import {
  type ConfigStorageLike,
  type GraphLike,
  isObject,
  type Method,
  type ToolLike,
  text,
} from './types.ts';

export type LangChainInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';
const LANGGRAPH = '@langchain/langgraph';
const SINGLETONS = '@langchain/core/singletons';
const TOOLS = '@langchain/core/tools';

/**
 * Agent attribution for LangChain.js and LangGraph, read from what they already know; it prices
 * nothing itself (the model SDKs' instrumentations do, under it):
 *
 * - a LangGraph graph's `invoke` / `stream` (`Pregel`, so `StateGraph`, `createReactAgent`,
 *   `entrypoint` graphs) is an agent run (`withAgentRun`): the top-level one starts the run,
 *   subgraphs join it; a stream's run ends when the caller is done with the stream (read out,
 *   stopped, cancelled, or dropped: collected, or still open at exit). Its agent
 *   is the run name or the graph's name, its conversation `configurable.thread_id`;
 * - LangChain's own context (`AsyncLocalStorageProviderSingleton.runWithConfig`, entered
 *   around every node, tool and lambda) gives the node (`metadata.langgraph_node`), which names
 *   the agent of an unnamed graph's calls;
 * - a tool's `invoke` (`StructuredTool`, so `tool(...)` and ToolNode's calls) names the tool of
 *   every model call made while it runs (`gen_ai.tool.name`).
 *
 * Each is entered as a scope around the framework's own call, so it is in force when the model
 * SDK call happens. Explicit `withBudget` / `withAttribution` values win. Fails open.
 */
export class LangChainInstrumentation extends BurnrateInstrumentation<LangChainInstrumentationConfig> {
  constructor(config: LangChainInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-langchain', VERSION, config);
  }

  get modules(): readonly PatchedModule[] {
    return [
      { name: LANGGRAPH, versions: ['>=0.4.0 <2'] },
      { name: SINGLETONS, versions: ['>=0.3.0 <2'] },
      { name: TOOLS, versions: ['>=0.3.0 <2'] },
    ];
  }

  patchExports(moduleName: string, exports: unknown): void {
    if (!isObject(exports)) return;
    if (moduleName === LANGGRAPH) this.#patchGraphs(exports);
    else if (moduleName === SINGLETONS) this.#patchConfigStorage(exports);
    else if (moduleName === TOOLS) this.#patchTools(exports);
  }

  /** `Pregel.prototype.invoke` / `stream`, found from the exported compiled graph classes. */
  #patchGraphs(exports: Record<PropertyKey, unknown>): void {
    for (const key of ['CompiledStateGraph', 'CompiledGraph', 'Pregel']) {
      const pregel = engineOf(exports[key]);
      if (!pregel) continue;
      this.wrapMethod(pregel, 'invoke', (original) => graphCall(this, original, false));
      this.wrapMethod(pregel, 'stream', (original) => graphCall(this, original, true));
    }
  }

  #patchConfigStorage(exports: Record<PropertyKey, unknown>): void {
    const storage = exports.AsyncLocalStorageProviderSingleton;
    if (!isObject(storage) || typeof storage.runWithConfig !== 'function') return;
    const target = Object.getPrototypeOf(storage) as ConfigStorageLike | null;
    const owner = target && Object.hasOwn(target, 'runWithConfig') ? target : storage;
    const on = () => this.isEnabled();
    this.wrapMethod(
      owner,
      'runWithConfig',
      (original) =>
        function (this: unknown, ...args: unknown[]): unknown {
          if (!on()) return Reflect.apply(original, this, args);
          const facts = safely('reading a LangChain config', () => nodeFacts(args[0]));
          if (!facts) return Reflect.apply(original, this, args);
          return withFrameworkAgent(facts, () => Reflect.apply(original, this, args));
        },
    );
  }

  #patchTools(exports: Record<PropertyKey, unknown>): void {
    const structuredTool = exports.StructuredTool;
    if (typeof structuredTool !== 'function') return;
    const on = () => this.isEnabled();
    this.wrapMethod(
      structuredTool.prototype as object,
      'invoke',
      (original) =>
        function (this: unknown, ...args: unknown[]): unknown {
          if (!on()) return Reflect.apply(original, this, args);
          const tool = safely('reading a LangChain tool', () => text((this as ToolLike)?.name));
          if (!tool) return Reflect.apply(original, this, args);
          return withFrameworkAgent({ tool }, () => Reflect.apply(original, this, args));
        },
    );
  }
}

/** The prototype that runs graphs (`Pregel`'s): the one owning `_streamIterator`. */
function engineOf(cls: unknown): object | undefined {
  if (typeof cls !== 'function') return undefined;
  for (let p: unknown = cls.prototype; isObject(p); p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, '_streamIterator') && Object.hasOwn(p, 'stream')) return p;
  }
  return undefined;
}

function graphCall(
  instrumentation: LangChainInstrumentation,
  original: Method,
  streamed: boolean,
): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!instrumentation.isEnabled()) return Reflect.apply(original, this, args);
    const graph = (isObject(this) ? this : {}) as GraphLike;
    const facts = safely('reading a LangGraph graph', () => graphFacts(graph, args[1])) ?? {};
    const call = () => Reflect.apply(original, this, args);
    // Inside a run already (`invoke` reads its own `stream`; a subgraph): it joins that run, whose
    // end is not this call's, so a stream's end is not watched.
    if (currentAgentRun()) return withFrameworkAgent(facts, call);
    return streamed ? streamedRun(facts, call) : withAgentRun(facts, call);
  };
}
