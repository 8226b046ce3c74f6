import {
  BurnrateInstrumentation,
  type CallSpan,
  type Gated,
  type GateInput,
  type ModelCallOptions,
  modelCallAttributes,
  modelCallName,
  type Observe,
  observeApiPromise,
  type PatchedModule,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { chatHandler, legacyCompletionsHandler } from './chat.ts';
import { embeddingsHandler } from './embeddings.ts';
import type { CallInfo, OperationHandler } from './operation.ts';
import { type ServerInfo, serverInfo } from './provider.ts';
import { applyGateChanges, asBody, type CapField, requestedMaxTokens } from './request.ts';
import { responsesHandler } from './responses.ts';
import type {
  ClientLike,
  CreateMethod,
  OpenAIModuleLike,
  ResourceClass,
  ResourceLike,
} from './types.ts';

export interface OpenAIInstrumentationConfig extends InstrumentationConfig {
  /**
   * Ask the provider for token usage on streams whose caller did not
   * (`stream_options.include_usage`), and hide that extra chunk from the caller. Default true;
   * `BURNRATE_OPENAI_STREAM_USAGE=false` turns it off. When off, or when a server sends no usage,
   * stream tokens are counted locally and marked `estimated`.
   */
  injectStreamUsage?: boolean;
  /** OpenAI-compatible servers by base-URL prefix, e.g. `{ baseURL: 'http://vllm:8000', provider: 'vllm' }`. */
  providers?: { baseURL: string; provider: string }[];
  /** Provider for hosts Burnrate does not know. Default `openai`. */
  defaultProvider?: string;
}

const VERSION = '0.1.0';

/** Traces the `openai` SDK's chat completions, Responses API, embeddings and legacy completions. */
export class OpenAIInstrumentation extends BurnrateInstrumentation<OpenAIInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: 'openai', versions: ['>=5.0.0 <8'] }];
  }

  constructor(config: OpenAIInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-openai', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as OpenAIModuleLike | undefined;
    const OpenAI = mod?.OpenAI ?? mod?.default;
    if (!OpenAI) return;
    // The environment is read once, when the SDK is patched (reading process.env costs about a
    // microsecond, on every stream otherwise); the config is read per call (setConfig).
    const envAllows = process.env.BURNRATE_OPENAI_STREAM_USAGE?.toLowerCase() !== 'false';
    const inject = () => envAllows && (this.getConfig().injectStreamUsage ?? true);
    this.#patch(OpenAI.Chat?.Completions, chatHandler(inject));
    this.#patch(OpenAI.Completions, legacyCompletionsHandler(inject));
    this.#patch(OpenAI.Embeddings, embeddingsHandler);
    this.#patch(OpenAI.Responses, responsesHandler);
  }

  #patch(resource: ResourceClass | undefined, handler: OperationHandler): void {
    this.wrapModelMethod<ResourceLike>(
      resource?.prototype,
      'create',
      (self, create, body, options) => this.#prepare(self, handler, create, body, options),
    );
  }

  #prepare(
    resource: ResourceLike,
    handler: OperationHandler,
    create: CreateMethod,
    body: unknown,
    options: unknown,
  ): OpenAICall {
    const server = this.#server(resource._client);
    const changed = handler.prepare?.(body);
    const info: CallInfo = {
      provider: server.provider,
      body: changed?.body ?? body,
      hideUsageChunk: changed?.hideUsageChunk ?? false,
    };
    const attributes = modelCallAttributes(handler.operation, server);
    handler.requestAttributes(body, attributes);
    const name = modelCallName(handler.operation, attributes);
    return new OpenAICall(this.tracer, name, attributes, info, handler, resource, create, options);
  }

  /** The client's provider and server, worked out once per client, base URL and config. */
  readonly #servers = new WeakMap<object, { key: unknown[]; info: ServerInfo }>();

  #server(client: ClientLike | undefined): ServerInfo {
    const config = this.getConfig();
    const providers = config.providers ?? [];
    const fallback = config.defaultProvider ?? 'openai';
    if (!client) return serverInfo(client, providers, fallback);
    const cached = this.#servers.get(client);
    if (
      cached &&
      cached.key[0] === client.baseURL &&
      cached.key[1] === config.providers &&
      cached.key[2] === fallback
    ) {
      return cached.info;
    }
    const info = serverInfo(client, providers, fallback);
    this.#servers.set(client, { key: [client.baseURL, config.providers, fallback], info });
    return info;
  }
}

/** The output-cap field a degrade writes: OpenAI's own API takes max_completion_tokens on chat. */
function capField(handler: OperationHandler, provider: string): CapField {
  const field = handler.capField ?? 'max_tokens';
  const openaiHosted = provider === 'openai' || provider === 'azure.ai.openai';
  return field === 'max_completion_tokens' && !openaiHosted ? 'max_tokens' : field;
}

/** One SDK call as `traceModelCall` takes it: one object per call, its steps as methods. */
class OpenAICall implements ModelCallOptions<unknown, unknown> {
  readonly tracer: Tracer;
  readonly name: string;
  readonly attributes: Attributes;
  readonly request: unknown;
  readonly info: CallInfo;
  readonly handler: OperationHandler;
  readonly resource: ResourceLike;
  readonly create: CreateMethod;
  readonly options: unknown;
  constructor(
    tracer: Tracer,
    name: string,
    attributes: Attributes,
    info: CallInfo,
    handler: OperationHandler,
    resource: ResourceLike,
    create: CreateMethod,
    options: unknown,
  ) {
    this.tracer = tracer;
    this.name = name;
    this.attributes = attributes;
    this.request = info.body;
    this.info = info;
    this.handler = handler;
    this.resource = resource;
    this.create = create;
    this.options = options;
  }
  /** Called only when a budget gate is registered. */
  gate(): Omit<GateInput, 'name' | 'attributes'> {
    const { info, handler } = this;
    return {
      provider: info.provider,
      operation: handler.operation,
      model: asBody(info.body).model,
      maxOutputTokens: requestedMaxTokens(info.body),
      estimateInputTokens: () => handler.promptTokens?.(info.body) ?? 0,
    };
  }
  applyGate(sendBody: unknown, gated: Gated): unknown {
    return applyGateChanges(sendBody, gated, capField(this.handler, this.info.provider));
  }
  call(sendBody: unknown): unknown {
    return this.create.call(this.resource, sendBody, this.options);
  }
  onResult(call: CallSpan, value: unknown, sendBody: unknown): 'open' | undefined {
    const info = this.info;
    return this.handler.onResult(
      call,
      value,
      sendBody === info.body ? info : { ...info, body: sendBody },
    );
  }
  get observe(): Observe<unknown> {
    return observeApiPromise;
  }
}
