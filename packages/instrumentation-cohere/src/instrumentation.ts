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
  safely,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { type CallMeta, onChatResult } from './chat.ts';
import { onEmbedResult } from './embed.ts';
import { asRequest, promptTokens, requestAttributes } from './request.ts';
import { onRerankResult } from './rerank.ts';
import { type ServerInfo, serverInfo } from './server.ts';
import { onStreamResult } from './stream.ts';
import type {
  ClientLike,
  ClientMethod,
  CohereModuleLike,
  RequestLike,
  RequestOptionsLike,
} from './types.ts';

export interface CohereInstrumentationConfig extends InstrumentationConfig {
  /**
   * Rerank prices in USD per 1,000 search units, by model id, over the built-in ones (Cohere's
   * published list price for rerank-v3.5 and the v3.0 models). E.g. `{ 'rerank-v4.0-pro': 2.5 }`.
   */
  rerankPrices?: Record<string, number>;
}

const VERSION = '0.1.0';

interface Extra {
  prices: Readonly<Record<string, number>> | undefined;
  options: RequestOptionsLike | undefined;
}

interface Operation {
  method: string;
  operation: string;
  stream?: boolean;
  onResult(call: CallSpan, value: unknown, meta: CallMeta & Extra): 'open' | undefined;
}

const CHAT: Operation = {
  method: 'chat',
  operation: GEN_AI_OPERATION.CHAT,
  onResult: onChatResult,
};
const CHAT_STREAM: Operation = {
  method: 'chatStream',
  operation: GEN_AI_OPERATION.CHAT,
  stream: true,
  onResult: onStreamResult,
};
const EMBED: Operation = {
  method: 'embed',
  operation: GEN_AI_OPERATION.EMBEDDINGS,
  onResult: onEmbedResult,
};
const RERANK: Operation = {
  method: 'rerank',
  operation: GEN_AI_OPERATION.RERANK,
  onResult: onRerankResult,
};

/** The v1 client (`CohereClient`): chat, generate, embed, rerank, and their streams. */
const V1: readonly Operation[] = [
  CHAT,
  CHAT_STREAM,
  { method: 'generate', operation: GEN_AI_OPERATION.TEXT_COMPLETION, onResult: onChatResult },
  {
    method: 'generateStream',
    operation: GEN_AI_OPERATION.TEXT_COMPLETION,
    stream: true,
    onResult: onStreamResult,
  },
  EMBED,
  RERANK,
];
/** The v2 API client (`CohereClientV2`, and `CohereClient#v2`). */
const V2: readonly Operation[] = [CHAT, CHAT_STREAM, EMBED, RERANK];

/** A copy of the request with a gate's model swap and (for generation) output cap. */
function withGateChanges(request: unknown, gated: Gated, operation: string): unknown {
  const generates =
    operation === GEN_AI_OPERATION.CHAT || operation === GEN_AI_OPERATION.TEXT_COMPLETION;
  const cap = generates ? gated.maxOutputTokens : undefined;
  if (!gated.model && cap === undefined) return request;
  const changed: RequestLike = { ...asRequest(request) };
  if (gated.model) changed.model = gated.model;
  if (cap !== undefined) changed.maxTokens = cap;
  return changed;
}

/** The prototype in `proto`'s chain that defines `method` itself. */
function owner(proto: object | null | undefined, method: string): object | undefined {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, method)) return p;
  }
  return undefined;
}

/** The v2 client's prototype: its class is not exported, so it is read from a throwaway client. */
function v2Prototype(mod: CohereModuleLike): object | undefined {
  const V2 = mod.CohereClientV2;
  if (!V2) return undefined;
  const client = new V2({ token: 'burnrate-probe' });
  return client.clientV2 ? Object.getPrototypeOf(client.clientV2) : undefined;
}

/** Traces `cohere-ai`: chat (v1 and v2), generate, their streams, embed and rerank. */
export class CohereInstrumentation extends BurnrateInstrumentation<CohereInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: 'cohere-ai', versions: ['>=7.0.0 <9'] }];
  }

  constructor(config: CohereInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-cohere', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const given = exports as CohereModuleLike | undefined;
    const mod = given?.CohereClient ? given : given?.default;
    if (!mod?.CohereClient) return;
    for (const op of V1) this.#patch(owner(mod.CohereClient.prototype, op.method), op);
    const v2 = safely('finding the v2 client', () => v2Prototype(mod));
    for (const op of V2) this.#patch(owner(v2, op.method), op);
  }

  #patch(proto: object | undefined, op: Operation): void {
    this.wrapModelMethod<ClientLike>(proto, op.method, (client, method, request, options) =>
      this.#prepare(client, op, method, request, options),
    );
  }

  /** The provider and server of each client, worked out once per client and base URL. */
  readonly #servers = new WeakMap<object, { base: unknown; info: ServerInfo }>();

  #server(client: ClientLike): ServerInfo {
    if (typeof client !== 'object' || client === null) return serverInfo(client);
    const base = client._options?.baseUrl ?? client._options?.environment;
    const cached = this.#servers.get(client);
    if (cached && cached.base === base) return cached.info;
    const info = serverInfo(client);
    this.#servers.set(client, { base, info });
    return info;
  }

  #prepare(
    client: ClientLike,
    op: Operation,
    method: ClientMethod,
    request: unknown,
    options: unknown,
  ): CohereCall {
    const server = this.#server(client);
    const attributes = modelCallAttributes(op.operation, server);
    requestAttributes(request, attributes);
    if (op.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    const name = modelCallName(op.operation, attributes);
    const call = new CohereCall(this.tracer, name, attributes, request, op, client, method);
    call.provider = server.provider;
    call.prices = this.getConfig().rerankPrices;
    call.options =
      typeof options === 'object' && options !== null ? (options as RequestOptionsLike) : undefined;
    return call;
  }
}

/**
 * One SDK call as `traceModelCall` takes it: one object per call, its steps as methods. It is its
 * own `CallMeta` too, for the request it sent unless a budget gate sent a changed copy.
 */
class CohereCall implements ModelCallOptions<unknown, unknown>, CallMeta, Extra {
  readonly tracer: Tracer;
  readonly name: string;
  readonly attributes: Attributes;
  readonly request: unknown;
  readonly op: Operation;
  readonly client: ClientLike;
  readonly method: ClientMethod;
  provider = '';
  prices: Extra['prices'];
  options: Extra['options'];
  constructor(
    tracer: Tracer,
    name: string,
    attributes: Attributes,
    request: unknown,
    op: Operation,
    client: ClientLike,
    method: ClientMethod,
  ) {
    this.tracer = tracer;
    this.name = name;
    this.attributes = attributes;
    this.request = request;
    this.op = op;
    this.client = client;
    this.method = method;
  }
  /** Called only when a budget gate is registered. */
  gate(): Omit<GateInput, 'name' | 'attributes'> {
    const request = this.request;
    const r = asRequest(request);
    return {
      provider: this.provider,
      operation: this.op.operation,
      model: r.model,
      maxOutputTokens: r.maxTokens,
      estimateInputTokens: () => promptTokens(request),
    };
  }
  applyGate(request: unknown, gated: Gated): unknown {
    return withGateChanges(request, gated, this.op.operation);
  }
  call(sent: unknown): unknown {
    return this.method.call(this.client, sent, this.options);
  }
  onResult(call: CallSpan, value: unknown, sent: unknown): 'open' | undefined {
    const meta: CallMeta & Extra =
      sent === this.request
        ? this
        : { provider: this.provider, request: sent, prices: this.prices, options: this.options };
    return this.op.onResult(call, value, meta);
  }
}
