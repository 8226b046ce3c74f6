/**
 * The few shapes of `@openai/agents-core` this instrumentation reads (structural: no import of the
 * SDK). Every field is optional and checked before use: another release fails open.
 */
export type AnyMethod = (this: unknown, ...args: never[]) => unknown;

/** An SDK tracing span (`Span`, or `NoopSpan` when tracing is off: it keeps its data). */
export interface SdkSpanLike {
  spanData?: { type?: unknown; name?: unknown; agent_name?: unknown };
  previousSpan?: SdkSpanLike;
}

export interface SdkTraceLike {
  groupId?: unknown;
}

export interface AgentLike {
  name?: unknown;
  model?: unknown;
}

export interface FunctionToolLike {
  type?: unknown;
  name?: unknown;
  invoke?: unknown;
}

/** A `ModelRequest`: what the runner hands the model for one call. */
export interface ModelRequestLike {
  conversationId?: unknown;
  _internal?: { tracingParent?: SdkSpanLike };
}

export interface ModelLike {
  getResponse?: unknown;
  getStreamedResponse?: unknown;
}

export interface ModelProviderLike {
  getModel?: unknown;
}

export interface RunnerLike {
  config?: { modelProvider?: ModelProviderLike; model?: unknown; groupId?: unknown };
}

export interface RunOptionsLike {
  stream?: unknown;
  conversationId?: unknown;
  session?: { sessionId?: unknown };
}

export interface ClassLike {
  prototype?: object;
}

/** The namespace (ESM) or exports (CommonJS) of `@openai/agents-core`. */
export interface AgentsCoreLike {
  Runner?: ClassLike;
  Agent?: ClassLike;
  getCurrentSpan?: () => SdkSpanLike | null;
  getCurrentTrace?: () => SdkTraceLike | null;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}
