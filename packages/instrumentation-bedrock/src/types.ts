/** Minimal structural types of `@aws-sdk/client-bedrock-runtime` (3.x): only what Burnrate reads. */

export type Next = (
  args: unknown,
) => Promise<{ response?: { headers?: Record<string, string | undefined> } }>;
export type Middleware = (next: Next) => Next;

export interface MiddlewareStackLike {
  add(middleware: Middleware, options: { step: string; name: string; override?: boolean }): void;
}

export interface ClientLike {
  middlewareStack?: MiddlewareStackLike;
  /** `cacheMiddleware: true` reuses each command class's built middleware chain (SDK >= 3.6xx). */
  config?: { region?: unknown; endpoint?: unknown; cacheMiddleware?: unknown };
}

export interface CommandLike {
  input?: Record<string, unknown>;
  constructor: { name?: string };
}

export type SendMethod = (this: ClientLike, command: CommandLike, ...rest: unknown[]) => unknown;

export interface BedrockModuleLike {
  BedrockRuntimeClient?: { prototype: { send: SendMethod } };
  InvokeModelCommand?: CommandClass;
  InvokeModelWithResponseStreamCommand?: CommandClass;
  ConverseCommand?: CommandClass;
  ConverseStreamCommand?: CommandClass;
}

export type CommandClass = abstract new (...args: never[]) => object;

/** Converse / ConverseStream `usage` (TokenUsage): `inputTokens` leaves out cache reads and writes. */
export interface ConverseUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheDetails?: { ttl?: string; inputTokens?: number }[];
}

/** `amazon-bedrock-invocationMetrics`, in the last chunk of an InvokeModelWithResponseStream. */
export interface InvocationMetrics {
  inputTokenCount?: number;
  outputTokenCount?: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

/** Any model's JSON body (request or response), read field by field. */
export type Json = Record<string, unknown>;
