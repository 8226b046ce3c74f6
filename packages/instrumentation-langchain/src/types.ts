/**
 * The little of LangChain.js and LangGraph the instrumentation touches, as structural types:
 * nothing is imported from them, and anything missing or of another shape is left alone.
 */

/** A `RunnableConfig`: what LangChain passes down every runnable, node and tool call. */
export interface RunnableConfigLike {
  runName?: unknown;
  configurable?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** A LangGraph graph (`Pregel`, `CompiledStateGraph`, `createReactAgent`'s graph). */
export interface GraphLike {
  name?: unknown;
}

/** A LangChain tool (`StructuredTool`, `tool(...)`, `DynamicTool`). */
export interface ToolLike {
  name?: unknown;
}

/** `@langchain/core/singletons`' `AsyncLocalStorageProviderSingleton`. */
export interface ConfigStorageLike {
  runWithConfig(
    config: unknown,
    callback: () => unknown,
    avoidCreatingRootRunTree?: boolean,
  ): unknown;
}

/** What `Pregel#stream` resolves to: LangChain's `IterableReadableStream`. */
export interface StreamLike {
  next?: (...args: unknown[]) => unknown;
  return?: (...args: unknown[]) => unknown;
  throw?: (...args: unknown[]) => unknown;
  cancel?: (...args: unknown[]) => unknown;
}

export type Method = (this: unknown, ...args: never[]) => unknown;

export function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

/** A non-empty string, or a number as a string (LangGraph thread ids may be either). */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}
