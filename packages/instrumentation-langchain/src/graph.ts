import {
  type AgentFacts,
  attributionScope,
  currentAgentFacts,
  currentAgentRun,
  StreamWatch,
  safely,
  withAgentRun,
} from '@burnrate/core';
import {
  type GraphLike,
  isObject,
  type RunnableConfigLike,
  type StreamLike,
  text,
} from './types.ts';

/** The name LangGraph gives a graph compiled without one (`Pregel.lc_name()`). */
export const DEFAULT_GRAPH_NAME = 'LangGraph';

/** The thread a call belongs to: LangGraph's `configurable.thread_id`. */
export function threadOf(config: unknown): string | undefined {
  if (!isObject(config)) return undefined;
  const configurable = (config as RunnableConfigLike).configurable;
  return isObject(configurable) ? text(configurable.thread_id) : undefined;
}

/**
 * What a graph's `invoke`/`stream` says about the run: its agent is the run name the caller gave
 * (`{ runName }`; a subgraph run as a node gets its node's name), else the graph's own name
 * (`compile({ name })`, `createReactAgent({ name })`); the conversation is the thread. A
 * top-level graph without a name is `LangGraph` (its nodes then name the agents of their calls,
 * see `nodeFacts`); a nested one without a name keeps the agent in force.
 */
export function graphFacts(graph: GraphLike, config: unknown): AgentFacts {
  const facts: AgentFacts = {};
  const runName = isObject(config) ? text((config as RunnableConfigLike).runName) : undefined;
  const name = runName ?? text(graph.name);
  if (name) facts.agent = name;
  else if (!currentAgentRun() && !currentAgentFacts().agent) facts.agent = DEFAULT_GRAPH_NAME;
  const thread = threadOf(config);
  if (thread) facts.conversation = thread;
  return facts;
}

/**
 * What LangChain's own config says about a call it is about to run (`runWithConfig`, around
 * every node, tool and lambda): the LangGraph node (`metadata.langgraph_node`) names the agent
 * when the graph itself has no name; the thread is the conversation. Undefined: nothing new.
 */
export function nodeFacts(config: unknown): AgentFacts | undefined {
  if (!isObject(config)) return undefined;
  const metadata = (config as RunnableConfigLike).metadata;
  const node = isObject(metadata) ? text(metadata.langgraph_node) : undefined;
  const thread = threadOf(config);
  if (!node && !thread) return undefined;
  // What `currentAgentFacts()` says (explicit values first), read without building it: this runs
  // around every node, tool and lambda, and most find nothing new.
  const scope = attributionScope();
  const agentNow = (scope?.agent ?? scope?.framework?.agent) || undefined;
  const conversationNow = (scope?.conversation ?? scope?.framework?.conversation) || undefined;
  const agent =
    node &&
    !node.startsWith('__') &&
    node !== agentNow &&
    (agentNow === undefined || agentNow === DEFAULT_GRAPH_NAME)
      ? node
      : undefined;
  const conversation = thread && thread !== conversationNow ? thread : undefined;
  if (!agent && !conversation) return undefined;
  const facts: AgentFacts = {};
  if (agent) facts.agent = agent;
  if (conversation) facts.conversation = conversation;
  return facts;
}

/**
 * A graph's `stream()` as one agent run, lasting until the caller is done with the stream
 * (`streamEnd`). The run waits on a promise of that end, never on the stream itself: whatever ends
 * the run must not hold the stream, or a stream the caller drops could never be collected. Returns
 * what `stream()` returned.
 */
export function streamedRun(facts: AgentFacts, call: () => unknown): unknown {
  let returned: unknown;
  void withAgentRun(facts, () => {
    returned = call();
    return runEnd(returned);
  });
  return returned;
}

/**
 * When the run of a `stream()` that returned this ends: a promise of no value that never rejects
 * (a nested run hands it to nobody), settled when `stream()` failed or its stream is done.
 */
function runEnd(returned: unknown): Promise<void> | undefined {
  const end = (stream: unknown) => safely('watching a LangGraph stream', () => streamEnd(stream));
  if (isObject(returned) && typeof returned.then === 'function') {
    return Promise.resolve(returned).then(end, () => undefined);
  }
  return end(returned);
}

/**
 * A promise that settles when the caller is done with a graph's stream: it read it to the end,
 * reading failed, it stopped early (`break`, `return()`, `cancel()`), or it dropped the stream
 * without finishing it (the stream object was garbage collected, or the process is about to exit:
 * core's `StreamWatch`, with no idle deadline, so a slow reader keeps its run). Undefined when the
 * result is no LangChain stream (the run then ends when `stream()` resolves).
 */
export function streamEnd(result: unknown): Promise<void> | undefined {
  if (!isObject(result) || typeof (result as StreamLike).next !== 'function') return undefined;
  const stream = result as StreamLike & Record<string, unknown>;
  const { promise: ended, resolve } = deferred();
  const watch = dropWatch(resolve);
  const settle = () => {
    watch?.cancel();
    resolve();
  };
  safely('watching a LangGraph stream', () => {
    watch?.markClaimed();
    watch?.watch(stream);
  });
  for (const name of ['next', 'return', 'throw', 'cancel'] as const) {
    const original = stream[name];
    if (typeof original !== 'function') continue;
    const watched = function (this: unknown, ...args: unknown[]): unknown {
      let value: unknown;
      try {
        value = original.apply(this, args);
      } catch (error) {
        settle();
        throw error;
      }
      safely('watching a LangGraph stream', () => {
        if (isObject(value) && typeof value.then === 'function') {
          (value as unknown as PromiseLike<unknown>).then(
            (step) => {
              if (name !== 'next' || (isObject(step) && step.done === true)) settle();
            },
            () => settle(),
          );
        } else if (name !== 'next') settle();
      });
      return value;
    };
    safely('watching a LangGraph stream', () => {
      stream[name] = watched;
    });
  }
  return ended;
}

/**
 * Ends the run when the stream is dropped. Made apart from `streamEnd`, whose closures hold the
 * stream: the watch (held by the collection registry) must reach nothing that does.
 */
function dropWatch(resolve: () => void): StreamWatch | undefined {
  return safely('watching a LangGraph stream', () => new StreamWatch(resolve));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
