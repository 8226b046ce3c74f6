/** Minimal structural types of the `cohere-ai` SDK (7.x and 8.x): only what Burnrate reads. */

export type ClientMethod = (
  this: ClientLike,
  request: unknown,
  requestOptions?: unknown,
) => unknown;

export interface ClientLike {
  _options?: { environment?: unknown; baseUrl?: unknown };
  constructor: { name: string };
}

export interface CohereModuleLike {
  CohereClient?: new (options: object) => object;
  CohereClientV2?: new (options: object) => { clientV2?: object };
  default?: CohereModuleLike;
}

/** Billed units (`meta.billed_units` in v1, `usage.billed_units` in v2), as the SDK camel-cases them. */
export interface BilledUnitsLike {
  inputTokens?: number;
  outputTokens?: number;
  searchUnits?: number;
  imageTokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  search_units?: number;
}

export interface MetaLike {
  billedUnits?: BilledUnitsLike;
  billed_units?: BilledUnitsLike;
}

/** Any response or stream event that may carry usage. */
export interface ResponseLike {
  id?: string;
  generationId?: string;
  responseId?: string;
  finishReason?: string;
  meta?: MetaLike;
  usage?: MetaLike;
  text?: string;
  generations?: { text?: string; finishReason?: string }[];
  message?: { content?: { text?: string }[] };
  /** v1 stream events. */
  eventType?: string;
  response?: ResponseLike;
  /** v2 stream events. */
  type?: string;
  delta?: { finishReason?: string; usage?: MetaLike; message?: { content?: { text?: string } } };
}

export interface RequestLike {
  model?: string;
  message?: string;
  prompt?: string;
  messages?: { role?: string; content?: unknown }[];
  chatHistory?: { message?: string }[];
  preamble?: string;
  texts?: string[];
  maxTokens?: number;
  temperature?: number;
}

export interface RequestOptionsLike {
  abortSignal?: AbortSignal;
}
