/** Minimal structural types of `@anthropic-ai/sdk` (0.x and 1.x): only what Burnrate reads. */

export interface ClientLike {
  baseURL?: string;
  /** Set by the SDKs that trace themselves (0.134+ and 1.x) when their tracing is on. */
  _tracer?: unknown;
}

export interface ResourceLike {
  _client?: ClientLike;
}

export type CreateMethod = (this: ResourceLike, body: unknown, options?: unknown) => unknown;

export interface ResourceClass {
  prototype: { create: CreateMethod };
}

/** The SDK's client class, and the resource classes hung on it. */
export type ResultsMethod = (
  this: unknown,
  batchId: string,
  ...rest: unknown[]
) => Promise<unknown>;

export interface BatchesClass {
  prototype: { results: ResultsMethod };
}

export interface MessagesClass extends ResourceClass {
  Batches?: BatchesClass;
}

export interface AnthropicClassLike {
  prototype: object;
  Messages?: MessagesClass;
  Beta?: { Messages?: MessagesClass };
}

export interface AnthropicModuleLike {
  Anthropic?: AnthropicClassLike;
  default?: AnthropicClassLike;
}

export interface MessageParam {
  role?: string;
  content?: unknown;
}

export interface RequestBody {
  model?: string;
  messages?: MessageParam[];
  system?: unknown;
  stream?: boolean;
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_k?: number | null;
}

/** `usage` of a Message (and of the Bedrock Anthropic body), as the API sends it. */
export interface AnthropicUsage {
  /** Uncached input only: cache reads and writes are reported apart. */
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

export interface ContentBlock {
  type?: string;
  text?: string;
  thinking?: string;
}

export interface MessageLike {
  id?: string;
  model?: string;
  stop_reason?: string | null;
  content?: ContentBlock[];
  usage?: AnthropicUsage | null;
}

/** A server-sent event of a Messages stream. */
export interface StreamEvent {
  type?: string;
  message?: MessageLike;
  usage?: AnthropicUsage | null;
  delta?: { type?: string; text?: string; thinking?: string; stop_reason?: string | null };
}
