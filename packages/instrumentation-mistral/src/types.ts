/** Minimal structural types of `@mistralai/mistralai` (1.x and 2.x): only what Burnrate reads. */

/** 2.x's TracingHook: the SDK's own OpenTelemetry tracing (off unless configured). */
export interface TracingHookLike {
  _mistralTracingHook?: boolean;
  tracerProvider?: unknown;
  _autoTelemetryProvider?: unknown;
  _telemetryUseGlobalProvider?: boolean;
}

/** A sub-SDK instance (`client.chat`, `client.embeddings`, ...). */
export interface ResourceLike {
  _baseURL?: URL | string | null;
  _options?: { hooks?: { beforeRequestHooks?: unknown[] } };
}

export type ResourceMethod = (this: ResourceLike, request: unknown, options?: unknown) => unknown;

export interface MistralClientLike {
  chat?: object;
  fim?: object;
  agents?: object;
  embeddings?: object;
}

export interface MistralModuleLike {
  Mistral?: new (options: object) => MistralClientLike;
  default?: MistralModuleLike;
}

/** `UsageInfo`, as the SDK camel-cases it (unknown keys pass through as sent). */
export interface UsageLike {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  promptTokensDetails?: { cachedTokens?: number } | null;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

export interface ChoiceLike {
  finishReason?: string | null;
  message?: { content?: unknown };
  delta?: { content?: unknown };
}

export interface CompletionLike {
  id?: string;
  model?: string;
  usage?: UsageLike | null;
  choices?: ChoiceLike[];
}

/** Stream events wrap each chunk in `data`. */
export interface CompletionEventLike {
  data?: CompletionLike;
}

export interface RequestLike {
  model?: string;
  agentId?: string;
  messages?: { role?: string; content?: unknown }[];
  prompt?: string;
  suffix?: string | null;
  inputs?: unknown;
  maxTokens?: number | null;
  temperature?: number | null;
}

export interface RequestOptionsLike {
  fetchOptions?: { signal?: AbortSignal };
  signal?: AbortSignal;
}
