import {
  type AgentFacts,
  currentAgentRun,
  safely,
  withAgentRun,
  withFrameworkAgent,
} from '@burnrate/core';
import { watchStreamEnd } from './stream-end.ts';
import { isObject, type Method, text } from './types.ts';

/**
 * The older LlamaIndex.TS agents (`@llamaindex/core/agent`'s `AgentRunner`: `ReActAgent`,
 * `LLMAgent`, `OpenAIAgent`; deprecated for `agent()` but still shipped) and the tools every
 * agent calls (`@llamaindex/core/tools`' `FunctionTool`, what `tool()` makes).
 */

/** A `FunctionTool`: `call` is an own property its constructor assigns, not a method. */
interface FunctionToolLike {
  metadata?: { name?: unknown };
}

/** `AgentRunner#chat({ message, stream })`: one agent run, named after the agent's class. */
export function runnerChat(enabled: () => boolean, original: Method): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!enabled()) return Reflect.apply(original, this, args);
    const facts: AgentFacts =
      safely('reading a LlamaIndex agent', () => ({
        agent: text((this as { constructor?: { name?: unknown } } | undefined)?.constructor?.name),
      })) ?? {};
    // Inside a run already (a runner called by another agent): it joins that run, whose end is
    // not this call's, so a streamed chat's end is not watched.
    if (currentAgentRun())
      return withFrameworkAgent(facts, () => Reflect.apply(original, this, args));
    let settle: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      settle = resolve;
    });
    return withAgentRun(
      facts,
      () => {
        const result = Reflect.apply(original, this, args);
        if (!isObject(result) || typeof result.then !== 'function') {
          settle();
          return result;
        }
        // A streamed chat resolves to a ReadableStream: the run lasts until it is read out.
        return (result as unknown as PromiseLike<unknown>).then(
          (value) => watchStreamEnd(value, settle),
          (error: unknown) => {
            settle();
            throw error;
          },
        );
      },
      { until: () => ended },
    );
  };
}

/**
 * `FunctionTool`'s constructor assigns `this.call = (input) => …`: an accessor on the prototype
 * sees that assignment and stores, as the instance's own `call`, a function that runs the tool
 * with its name as `gen_ai.tool.name`. Every caller of the tool (`callTool`, the agents, the
 * app) gets it. Returns false when the class is of another shape (then nothing is changed).
 */
export function patchToolCall(cls: unknown, enabled: () => boolean): boolean {
  if (typeof cls !== 'function' || !isObject(cls.prototype)) return false;
  const proto = cls.prototype;
  if (Object.hasOwn(proto, 'call') || !hasMetadataGetter(proto)) return false;
  Object.defineProperty(proto, 'call', {
    configurable: true,
    enumerable: false,
    get: () => undefined,
    set(this: FunctionToolLike, fn: unknown) {
      const own = typeof fn === 'function' ? namedCall(this, fn as Method, enabled) : fn;
      Object.defineProperty(this, 'call', {
        configurable: true,
        enumerable: true,
        writable: true,
        value: own,
      });
    },
  });
  return true;
}

function hasMetadataGetter(proto: object): boolean {
  const d = Object.getOwnPropertyDescriptor(proto, 'metadata');
  return typeof d?.get === 'function';
}

function namedCall(tool: FunctionToolLike, fn: Method, enabled: () => boolean): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!enabled()) return Reflect.apply(fn, this, args);
    const name = safely('reading a LlamaIndex tool', () => text(tool.metadata?.name));
    const call = () => Reflect.apply(fn, this, args);
    return name ? withFrameworkAgent({ tool: name }, call) : call();
  };
}
