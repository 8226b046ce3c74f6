/** Minimal structural types of the `openai` SDK (5.x, 6.x and 7.x): only what Burnrate reads. */

export interface ClientLike {
  baseURL?: string;
  constructor: { name: string };
}

export interface ResourceLike {
  _client?: ClientLike;
}

export type CreateMethod = (this: ResourceLike, body: unknown, options?: unknown) => unknown;

export interface ResourceClass {
  prototype: { create: CreateMethod };
}

/** The SDK's exports we patch: the client class and its resource classes. */
export interface OpenAIModuleLike {
  OpenAI?: OpenAIClassLike;
  default?: OpenAIClassLike;
}

export interface OpenAIClassLike {
  Chat?: { Completions?: ResourceClass };
  Completions?: ResourceClass;
  Embeddings?: ResourceClass;
  Responses?: ResourceClass;
}

export interface ChatMessage {
  role?: string;
  name?: string;
  content?: unknown;
}

export interface RequestBody {
  model?: string;
  messages?: ChatMessage[];
  prompt?: unknown;
  input?: unknown;
  instructions?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
}

export interface CompletionsUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface ResponsesUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface ChatCompletionLike {
  id?: string;
  model?: string;
  usage?: CompletionsUsage | null;
  choices?: { finish_reason?: string | null; delta?: { content?: string | null }; text?: string }[];
}

export interface ResponseLike {
  id?: string;
  model?: string;
  status?: string;
  usage?: ResponsesUsage | null;
}

export interface ResponseStreamEvent {
  type?: string;
  delta?: string;
  response?: ResponseLike;
}
