import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  BurnrateInstrumentation,
  burnrateLogger,
  type CallSpan,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
  hasModelCallGates,
  markBurnrateCall,
  observeApiPromise,
  type PatchedModule,
  registerUsageReader,
  safely,
  type TracedCall,
  traceCallOf,
} from '@burnrate/core';
import { type Attributes, context, type Tracer } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { traceBatchResults } from './batches.ts';
import { gateMessagesCall } from './gate.ts';
import { onMessagesResult } from './messages.ts';
import { requestAttributes } from './request.ts';
import { anthropicSdkSpanReader } from './sdk-span-reader.ts';
import type {
  AnthropicModuleLike,
  BatchesClass,
  ClientLike,
  CreateMethod,
  ResourceClass,
  ResourceLike,
  ResultsMethod,
} from './types.ts';

export type AnthropicInstrumentationConfig = InstrumentationConfig;

const VERSION = '0.1.0';

/**
 * Cost for `@anthropic-ai/sdk`'s Messages API (`messages.create`, streaming or not, the
 * `messages.stream()` / `parse()` helpers that call it, and `beta.messages`).
 *
 * SDKs from 0.134 (and every 1.x) trace themselves: with a tracer provider registered each call
 * already has one `anthropic.messages.create` span. Burnrate then adds no span: its span processor
 * prices and attributes that span (the reader registered here). Only a client whose own tracing
 * is off (`openTelemetry: false`, `ANTHROPIC_OPEN_TELEMETRY=false`), or an SDK older than 0.134,
 * gets Burnrate's own `chat {model}` span. Either way one call is one span with one cost.
 */
export class AnthropicInstrumentation extends BurnrateInstrumentation<AnthropicInstrumentationConfig> {
  get modules(): readonly PatchedModule[] {
    return [{ name: '@anthropic-ai/sdk', versions: ['>=0.20.0 <2'] }];
  }

  constructor(config: AnthropicInstrumentationConfig = {}) {
    super('@burnrate/instrumentation-anthropic', VERSION, config);
    registerUsageReader(anthropicSdkSpanReader);
  }

  patchExports(_moduleName: string, exports: unknown): void {
    const mod = exports as AnthropicModuleLike | undefined;
    const Anthropic = mod?.Anthropic ?? mod?.default;
    if (!Anthropic) return;
    this.#patch(Anthropic.Messages);
    this.#patch(Anthropic.Beta?.Messages);
    this.#patchBatches(Anthropic.Messages?.Batches);
    this.#patchBatches(Anthropic.Beta?.Messages?.Batches);
  }

  /** Every SDK line: the SDK's own `batches.results` span has no usage, so nothing is counted twice. */
  #patchBatches(batches: BatchesClass | undefined): void {
    const instrumentation = this;
    this.wrapMethod(batches?.prototype, 'results', (original) => {
      const results = original as unknown as ResultsMethod;
      return function patchedResults(this: unknown, batchId: string, ...rest: unknown[]) {
        const promise = results.call(this, batchId, ...rest);
        if (!instrumentation.isEnabled() || typeof batchId !== 'string') return promise;
        return promise.then((stream) => {
          safely('tracing batch results', () =>
            traceBatchResults(instrumentation.tracer, batchId, stream),
          );
          return stream;
        });
      } as unknown as typeof original;
    });
  }

  #patch(resource: ResourceClass | undefined): void {
    const instrumentation = this;
    this.wrapMethod(resource?.prototype, 'create', (original) => {
      const create = original as unknown as CreateMethod;
      return function patchedCreate(this: ResourceLike, body: unknown, options?: unknown) {
        if (!instrumentation.isEnabled()) return create.call(this, body, options);
        const tracesItself = !!this?._client?._tracer;
        // A client that traces itself records this call on its own span, which Burnrate's span
        // processor prices: a second span would count the call twice. Another instrumentation's
        // GenAI span wrapping this call (OpenLLMetry, OpenInference) is marked superseded, so
        // that only the SDK's span is priced; the SDK's span itself stays priceable.
        if (tracesItself && !hasModelCallGates()) {
          markOuterSpan();
          return create.call(this, body, options);
        }
        const attributes = preparedAttributes(this?._client, body);
        if (!attributes) return create.call(this, body, options);
        const name = spanName(attributes);
        // The gates are asked only when one is registered (nothing built per call otherwise).
        const gated = hasModelCallGates()
          ? consultGates(instrumentation.tracer, body, name, attributes)
          : undefined;
        if (gated?.blocked) return Promise.reject(gated.blocked);
        if (tracesItself && !gated) {
          markOuterSpan();
          return create.call(this, body, options);
        }
        // Burnrate's span carries the cost (and settles the gates' decisions); the SDK's own span,
        // if any, starts inside it and is left unpriced.
        const sent = gated?.body ?? body;
        return traceCallOf(
          {
            tracer: instrumentation.tracer,
            name,
            attributes,
            decisions: gated?.decisions,
          },
          new MessagesCall(create, this, sent, options),
          observeApiPromise,
        );
      } as unknown as typeof original;
    });
  }
}

/*
 * `patchedCreate` runs on every call and makes no closure: a function that makes one gets a context
 * for what it captures on every call. The closures live in these helpers, on the paths that need
 * them, and the call itself is one object.
 */

/** The span's attributes for a request, or undefined (logged) if reading it failed. */
function preparedAttributes(client: ClientLike | undefined, body: unknown): Attributes | undefined {
  try {
    return requestSpanAttributes(client, body);
  } catch (error) {
    burnrateLogger.warn(
      'preparing request failed; telemetry for this call may be incomplete',
      error,
    );
    return undefined;
  }
}

function consultGates(
  tracer: Tracer,
  body: unknown,
  name: string,
  attributes: Attributes,
): ReturnType<typeof gateMessagesCall> | undefined {
  return safely('consulting budget gates', () => gateMessagesCall(tracer, body, name, attributes));
}

/** Marks another instrumentation's GenAI span around this call as superseded (the SDK traces it). */
function markOuterSpan(): void {
  safely('marking an outer GenAI span', () => markBurnrateCall(context.active()));
}

/** One `messages.create` call as `traceCallOf` takes it. */
class MessagesCall implements TracedCall<unknown> {
  readonly #create: CreateMethod;
  readonly #self: ResourceLike;
  readonly #sent: unknown;
  readonly #options: unknown;
  constructor(create: CreateMethod, self: ResourceLike, sent: unknown, options: unknown) {
    this.#create = create;
    this.#self = self;
    this.#sent = sent;
    this.#options = options;
  }
  call(): unknown {
    return this.#create.call(this.#self, this.#sent, this.#options);
  }
  onResult(call: CallSpan, value: unknown): 'open' | undefined {
    return onMessagesResult(call, value, this.#sent);
  }
}

function spanName(attributes: Attributes): string {
  const model = attributes[ATTR_GEN_AI_REQUEST_MODEL];
  return typeof model === 'string' ? `chat ${model}` : 'chat';
}

interface Server {
  address?: string;
  port?: number;
}

/** Servers by base URL: a service talks to few (a URL parse per call otherwise). */
const servers = new Map<string, Server>();

function serverOf(baseURL: string): Server {
  let server = servers.get(baseURL);
  if (server) return server;
  try {
    const url = new URL(baseURL);
    server = {
      address: url.hostname,
      port: Number(url.port || (url.protocol === 'http:' ? 80 : 443)),
    };
  } catch {
    server = {}; // No server attributes for a base URL that does not parse.
  }
  if (servers.size >= 64) servers.clear();
  servers.set(baseURL, server);
  return server;
}

function requestSpanAttributes(client: ClientLike | undefined, body: unknown): Attributes {
  // Plain stores into one object (no spread of a second map, no computed keys in a literal).
  const attributes: Attributes = {};
  attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION.CHAT;
  attributes[ATTR_GEN_AI_PROVIDER_NAME] = GEN_AI_PROVIDER.ANTHROPIC;
  requestAttributes(body, attributes);
  const server = serverOf(client?.baseURL ?? 'https://api.anthropic.com');
  if (server.address !== undefined) attributes[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
  return attributes;
}
