import type { TransformStream } from 'node:stream/web';

/**
 * The little of LlamaIndex.TS (`@llamaindex/workflow`) the instrumentation touches, as structural
 * types: nothing is imported from it, and anything missing or of another shape is left alone.
 */

/** `AgentWorkflow` (what `agent()` and `multiAgent()` return). */
export interface AgentWorkflowLike {
  /** The agent a run starts with (`agent({ name })`, `multiAgent({ rootAgent })`). */
  rootAgentName?: unknown;
}

/** `FunctionAgent`: one agent of a workflow; its `takeStep` makes the agent's model call. */
export interface FunctionAgentLike {
  name?: unknown;
}

/** The tool call `AgentWorkflow#callTool` executes. */
export interface ToolCallLike {
  toolName?: unknown;
  agentName?: unknown;
}

/** What `AgentWorkflow#runStream` returns: a `WorkflowStream` (a web `ReadableStream`). */
export interface WorkflowStreamLike {
  pipeThrough(transform: TransformStream<unknown, unknown>): unknown;
}

export type Method = (this: unknown, ...args: never[]) => unknown;

export function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

/** A non-empty string, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function isWorkflowStream(v: unknown): v is WorkflowStreamLike {
  return isObject(v) && typeof v.pipeThrough === 'function' && typeof v.getReader === 'function';
}
