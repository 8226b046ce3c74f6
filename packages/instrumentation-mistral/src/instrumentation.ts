import {
  ATTR_GEN_AI_REQUEST_STREAM,
  BurnrateInstrumentation,
  type CallSpan,
  type Gated,
  type GateInput,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  hasModelCallGates,
  type ModelCallOptions,
  type ModelServer,
  modelCallAttributes,
  modelCallName,
  type PatchedModule,
  serverAddress,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { asRequest, promptTokens, requestAttributes } from './request.ts';
import { type CallMeta, onCompleteResult, onEmbeddingsResult, onStreamResult } from './results.ts';
import { sdkTracesIntoApp } from './sdk-tracing.ts';
import type {
  MistralClientLike,
  MistralModuleLike,
  RequestLike,
  RequestOptionsLike,
  ResourceLike,
  ResourceMethod,
} from './types.ts';

export type MistralInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

interface Operation {
  resource: keyof MistralClientLike;
  method: string;
  operation: string;
  stream?: boolean;
  onResult(call: CallSpan, value: unknown, meta: CallMeta): 'open' | undefined;
}

const OPERATIONS: readonly Operation[] = [
  {
    resource: 'chat',
    method: 'complete',
    operation: GEN_AI_OPERATION.CHAT,
    onResult: onCompleteResult,
  },
  {
    resource: 'chat',
    method: 'stream',
    operation: GEN_AI_OPERATION.CHAT,
    stream: true,
    onResult: onStreamResult,
  },
  {
    resource: 'fim',
    method: 'complete',
    operation: GEN_AI_OPERATION.TEXT_COMPLETION,
    onResult: onCompleteResult,
  },
  {
    resource: 'fim',
    method: 'stream',
    operation: GEN_AI_OPERATION.TEXT_COMPLETION,
    stream: true,
    onResult: onStreamResult,
  },
  {
    resource: 'agents',
    method: 'complete',
    operation: GEN_AI_OPERATION.CHAT,
    onResult: onCompleteResult,
  },
  {
    resource: 'agents',
    method: 'stream',
    operation: GEN_AI_OPERATION.CHAT,
    stream: true,
    onResult: onStreamResult,
  },
  {
    resource: 'embeddings',
    method: 'create',
    operation: GEN_AI_OPERATION.EMBEDDINGS,
    onResult: onEmbeddingsResult,
  },
];

/** A copy of the request with a gate's model swap and (for generation) output cap. */
function withGateChanges(request: unknown, gated: Gated, operation: string): unknown {
  const cap = operation === GEN_AI_OPERATION.EMBEDDINGS ? undefined : gated.maxOutputTokens;
  const r = asRequest(request);
  // Agents calls name an agent, not a model: only their output cap can change.
  const model = r.model !== undefined ? gated.model : undefined;
  if (!model && cap === undefined) return request;
  const changed: RequestLike = { ...r };
  if (model) changed.model = model;
  if (cap !== undefined) changed.maxTokens = cap;
  return changed;
}

/** Sub-SDK classes are not exported: their prototypes are read from a throwaway client. */
function prototypes(mod: MistralModuleLike): Map<string, object> {
  const out = new Map<string, object>();
  if (!mod.Mistral) return out;
  const client = new mod.Mistral({ apiKey: 'burnrate-probe' });
  for (const name of ['chat', 'fim', 'agents', 'embeddings'] as const) {
    const resource = client[name];
    if (resource) out.set(name, Object.getPrototypeOf(resource));
  }
  return out;
}

/** Servers by base URL: a service talks to few (a URL parse per call otherwise). */
const servers = new Map<string, ModelServer>();

function serverOf(resource: ResourceLike): ModelServer {
  const base = String(resource._baseURL ?? 'https://api.mistral.ai');
  let server = servers.get(base);
  if (server) return server;
  server = { provider: GEN_AI_PROVIDER.MISTRAL, ...serverAddress(base) };
  if (servers.size >= 64) servers.clear();
  servers.set(base, server);
  return server;
}

/** Traces `@mistralai/mistralai`: chat complete and stream, FIM, agents, embeddings. */
export class MistralInstrumentation extends BurnrateInstrumentation<MistralInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@mistralai/mistralai', versions: ['>=1.0.0 <3'] }];
  }

  constructor(config: MistralInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-mistral', VERSION, config);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const given = exports as MistralModuleLike | undefined;
    const mod = given?.Mistral ? given : given?.default;
    if (!mod?.Mistral) return;
    const protos = prototypes(mod);
    for (const op of OPERATIONS) this.#patch(protos.get(op.resource), op);
  }

  #patch(proto: object | undefined, op: Operation): void {
    this.wrapModelMethod<ResourceLike>(proto, op.method, (resource, method, request, options) =>
      this.#prepare(resource, op, method, request, options),
    );
  }

  #prepare(
    resource: ResourceLike,
    op: Operation,
    method: ResourceMethod,
    request: unknown,
    options: unknown,
  ): MistralCall | undefined {
    // The SDK's own span is priced by BurnrateSpanProcessor: no second span for the same call.
    // Budget gates need Burnrate's own span (to block, degrade and settle): with gates registered
    // Burnrate records the call, and the SDK's span, started inside it, is not priced again.
    if (!hasModelCallGates() && sdkTracesIntoApp(resource)) return undefined;
    const server = serverOf(resource);
    const attributes = modelCallAttributes(op.operation, server);
    requestAttributes(request, attributes);
    if (op.stream) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    const name = modelCallName(op.operation, attributes);
    return new MistralCall(this.tracer, name, attributes, request, op, resource, method, options);
  }
}

/**
 * One SDK call as `traceModelCall` takes it: one object per call, its steps as methods. It is its
 * own `CallMeta` too, for the request it sent unless a budget gate sent a changed copy.
 */
class MistralCall implements ModelCallOptions<unknown, unknown>, CallMeta {
  readonly tracer: Tracer;
  readonly name: string;
  readonly attributes: Attributes;
  readonly request: unknown;
  readonly op: Operation;
  readonly resource: ResourceLike;
  readonly method: ResourceMethod;
  readonly provider = GEN_AI_PROVIDER.MISTRAL;
  readonly options: RequestOptionsLike | undefined;
  readonly #options: unknown;
  constructor(
    tracer: Tracer,
    name: string,
    attributes: Attributes,
    request: unknown,
    op: Operation,
    resource: ResourceLike,
    method: ResourceMethod,
    options: unknown,
  ) {
    this.tracer = tracer;
    this.name = name;
    this.attributes = attributes;
    this.request = request;
    this.op = op;
    this.resource = resource;
    this.method = method;
    this.#options = options;
    this.options =
      typeof options === 'object' && options !== null ? (options as RequestOptionsLike) : undefined;
  }
  /** Called only when a budget gate is registered. */
  gate(): Omit<GateInput, 'name' | 'attributes'> {
    const request = this.request;
    const r = asRequest(request);
    return {
      provider: GEN_AI_PROVIDER.MISTRAL,
      operation: this.op.operation,
      model: r.model,
      maxOutputTokens: r.maxTokens ?? undefined,
      estimateInputTokens: () => promptTokens(request),
    };
  }
  applyGate(request: unknown, gated: Gated): unknown {
    return withGateChanges(request, gated, this.op.operation);
  }
  call(sent: unknown): unknown {
    return this.method.call(this.resource, sent, this.#options);
  }
  onResult(call: CallSpan, value: unknown, sent: unknown): 'open' | undefined {
    const meta: CallMeta =
      sent === this.request
        ? this
        : { provider: this.provider, request: sent, options: this.options };
    return this.op.onResult(call, value, meta);
  }
}
