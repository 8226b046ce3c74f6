import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  BurnrateInstrumentation,
  burnrateLogger,
  type CallSpan,
  type Gated,
  type GateInput,
  GEN_AI_OPERATION,
  type ModelCallOptions,
  type PatchedModule,
  traceModelCall,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { onEmbedResult } from './embed.ts';
import { type CallMeta, onGenerateResult, onStreamResult } from './generate.ts';
import { asParams, promptTokens, requestAttributes } from './request.ts';
import { type ServerInfo, serverInfo } from './server.ts';
import type { GenAIModuleLike, GenerateParamsLike, InternalMethod, ModelsLike } from './types.ts';

export type GoogleGenAIInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

interface Operation {
  method: 'generateContentInternal' | 'generateContentStreamInternal' | 'embedContentInternal';
  operation: string;
  stream: boolean;
  onResult(call: CallSpan, value: unknown, meta: CallMeta): 'open' | undefined;
}

/**
 * The SDK's public methods (`models.generateContent`, `generateContentStream`, `embedContent`,
 * `chats.create().sendMessage[Stream]`) are per-instance arrow functions that may make several
 * HTTP calls (automatic function calling, automatic continuation). Each HTTP call goes through one
 * of these `Models.prototype` methods, so patching them gives one span per billed API call, for
 * every client and chat, whoever imported the SDK.
 */
const OPERATIONS: readonly Operation[] = [
  {
    method: 'generateContentInternal',
    operation: GEN_AI_OPERATION.GENERATE_CONTENT,
    stream: false,
    onResult: onGenerateResult,
  },
  {
    method: 'generateContentStreamInternal',
    operation: GEN_AI_OPERATION.GENERATE_CONTENT,
    stream: true,
    onResult: onStreamResult,
  },
  {
    method: 'embedContentInternal',
    operation: GEN_AI_OPERATION.EMBEDDINGS,
    stream: false,
    onResult: onEmbedResult,
  },
];

/** A copy of the request with a gate's model swap and (for generation) output cap. */
function withGateChanges(params: unknown, gated: Gated, operation: string): unknown {
  const p = asParams(params);
  const cap = operation === GEN_AI_OPERATION.GENERATE_CONTENT ? gated.maxOutputTokens : undefined;
  if (!gated.model && cap === undefined) return params;
  const changed: GenerateParamsLike = { ...p };
  if (gated.model) changed.model = gated.model;
  if (cap !== undefined) changed.config = { ...p.config, maxOutputTokens: cap };
  return changed;
}

/** Traces `@google/genai` (Gemini Developer API and Vertex AI): generate content, streams, embeddings, chats. */
export class GoogleGenAIInstrumentation extends BurnrateInstrumentation<GoogleGenAIInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@google/genai', versions: ['>=2.0.0 <4'] }];
  }

  constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-google-genai', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const proto = (exports as GenAIModuleLike | undefined)?.Models?.prototype;
    if (!proto) return;
    for (const op of OPERATIONS) this.#patch(proto, op);
  }

  #patch(proto: object, op: Operation): void {
    const instrumentation = this;
    this.wrapMethod(proto, op.method, (original) => {
      const call = original as unknown as InternalMethod;
      return function patched(this: ModelsLike, params: unknown) {
        if (!instrumentation.isEnabled()) return call.call(this, params);
        let prepared: GoogleCall | undefined;
        try {
          prepared = instrumentation.#prepare(this, op, call, params);
        } catch (error) {
          burnrateLogger.warn(
            'preparing request failed; telemetry for this call may be incomplete',
            error,
          );
        }
        if (!prepared) return call.call(this, params);
        return traceModelCall(prepared);
      } as unknown as typeof original;
    });
  }

  /** The provider and server of each API client, worked out once per client and base URL. */
  readonly #servers = new WeakMap<object, { base: unknown; info: ServerInfo }>();

  #server(models: ModelsLike): ServerInfo {
    const client = models.apiClient;
    if (!client) return serverInfo(models);
    const base = client.getBaseUrl?.();
    const cached = this.#servers.get(client);
    if (cached && cached.base === base) return cached.info;
    const info = serverInfo(models);
    this.#servers.set(client, { base, info });
    return info;
  }

  #prepare(models: ModelsLike, op: Operation, call: InternalMethod, params: unknown): GoogleCall {
    const server = this.#server(models);
    // Plain stores into one object (no spread of a second map, no computed keys in a literal).
    const attributes: Attributes = {};
    attributes[ATTR_GEN_AI_OPERATION_NAME] = op.operation;
    attributes[ATTR_GEN_AI_PROVIDER_NAME] = server.provider;
    requestAttributes(params, attributes);
    if (op.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    if (server.address) attributes[ATTR_SERVER_ADDRESS] = server.address;
    if (server.port) attributes[ATTR_SERVER_PORT] = server.port;
    const model = attributes[ATTR_GEN_AI_REQUEST_MODEL];
    const name = typeof model === 'string' ? `${op.operation} ${model}` : op.operation;
    return new GoogleCall(this.tracer, name, attributes, params, op, server.provider, models, call);
  }
}

/**
 * One SDK call as `traceModelCall` takes it: one object per call, its steps as methods. It is its
 * own `CallMeta` too, for the params it sent unless a budget gate sent a changed copy.
 */
class GoogleCall implements ModelCallOptions<unknown, unknown>, CallMeta {
  readonly tracer: Tracer;
  readonly name: string;
  readonly attributes: Attributes;
  readonly request: unknown;
  /** The params as the caller passed them (`CallMeta`). */
  readonly params: unknown;
  readonly op: Operation;
  readonly provider: string;
  readonly models: ModelsLike;
  readonly original: InternalMethod;
  constructor(
    tracer: Tracer,
    name: string,
    attributes: Attributes,
    request: unknown,
    op: Operation,
    provider: string,
    models: ModelsLike,
    original: InternalMethod,
  ) {
    this.tracer = tracer;
    this.name = name;
    this.attributes = attributes;
    this.request = request;
    this.params = request;
    this.op = op;
    this.provider = provider;
    this.models = models;
    this.original = original;
  }
  /** Called only when a budget gate is registered. */
  gate(): Omit<GateInput, 'name' | 'attributes'> {
    const params = this.request;
    const p = asParams(params);
    return {
      provider: this.provider,
      operation: this.op.operation,
      model: p.model,
      maxOutputTokens: p.config?.maxOutputTokens,
      estimateInputTokens: () => promptTokens(params),
    };
  }
  applyGate(request: unknown, gated: Gated): unknown {
    return withGateChanges(request, gated, this.op.operation);
  }
  call(sent: unknown): unknown {
    return this.original.call(this.models, sent);
  }
  onResult(call: CallSpan, value: unknown, sent: unknown): 'open' | undefined {
    const meta: CallMeta = sent === this.request ? this : { provider: this.provider, params: sent };
    return this.op.onResult(call, value, meta);
  }
}
