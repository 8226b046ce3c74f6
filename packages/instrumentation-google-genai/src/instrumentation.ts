import {
  ATTR_GEN_AI_REQUEST_STREAM,
  BurnrateInstrumentation,
  type CallSpan,
  type Gated,
  type GateInput,
  GEN_AI_OPERATION,
  type ModelCallOptions,
  modelCallAttributes,
  modelCallName,
  type PatchedModule,
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
    // The SDK's internal method takes the params alone.
    this.wrapModelMethod<ModelsLike>(proto, op.method, (models, method, params) =>
      this.#prepare(models, op, method as InternalMethod, params),
    );
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
    const attributes = modelCallAttributes(op.operation, server);
    requestAttributes(params, attributes);
    if (op.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    const name = modelCallName(op.operation, attributes);
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
