import type { Attributes, SpanKind, Tracer } from '@opentelemetry/api';
import { safely } from './fail-open.ts';
import { type Gated, type GateInput, gateModelCall, hasModelCallGates } from './gate.ts';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from './semconv.ts';
import {
  type CallSpan,
  type CallSpanOptions,
  type Observe,
  type TracedCall,
  traceCallOf,
} from './span-call.ts';

export interface ModelCallOptions<Req, R> {
  tracer: Tracer;
  name: string;
  attributes: Attributes;
  kind?: SpanKind;
  /** The caller's request (never changed in place). */
  request: Req;
  /**
   * What the budget gates are told about the call; a function is called only when a gate is
   * registered (no per-call work for a feature that is off).
   */
  gate: Omit<GateInput, 'name' | 'attributes'> | (() => Omit<GateInput, 'name' | 'attributes'>);
  /** A copy of the request with a gate's changes (a lower output cap, another model). */
  applyGate(request: Req, gated: Gated): Req;
  /** Makes the real call with the request to send. */
  call(request: Req): R;
  /** Records the result; returns `'open'` when a stream now owns the span. */
  onResult(call: CallSpan, value: Awaited<R>, sent: Req): 'open' | undefined;
  observe?: Observe<R>;
}

/** Where a model call goes: the provider, and the server's host and port when known. */
export interface ModelServer {
  provider: string;
  address?: string;
  port?: number;
}

/**
 * Host and port of a model API's base URL, the scheme's default port when it names none (as
 * `server.port` is recorded); nothing for what is not a URL. Callers remember the result per
 * client: parsing a URL costs 8–10 µs.
 */
export function serverAddress(base: string): { address?: string; port?: number } {
  try {
    const url = new URL(base);
    return {
      address: url.hostname.replace(/^\[|\]$/g, ''), // an IPv6 address without its brackets
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    };
  } catch {
    return {};
  }
}

/**
 * The attributes every model call's span starts with: operation, provider and server. The
 * instrumentation adds the request's own (model, parameters) to the object returned. Plain stores
 * into one object: no spread of a second map, no computed keys in a literal (V8 defines those one
 * by one at run time).
 */
export function modelCallAttributes(operation: string, server: ModelServer): Attributes {
  const attributes: Attributes = {};
  attributes[ATTR_GEN_AI_OPERATION_NAME] = operation;
  attributes[ATTR_GEN_AI_PROVIDER_NAME] = server.provider;
  if (server.address) attributes[ATTR_SERVER_ADDRESS] = server.address;
  if (server.port) attributes[ATTR_SERVER_PORT] = server.port;
  return attributes;
}

/**
 * A request's model, output cap and temperature (`gen_ai.request.*`), each written into
 * `attributes` when it has the right type (a model must be a non-empty string), wherever the SDK
 * keeps them. Never prompt text.
 */
export function requestParameterAttributes(
  attributes: Attributes,
  model: unknown,
  maxTokens: unknown,
  temperature: unknown,
): Attributes {
  if (typeof model === 'string' && model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = model;
  if (typeof maxTokens === 'number') attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  if (typeof temperature === 'number') attributes[ATTR_GEN_AI_REQUEST_TEMPERATURE] = temperature;
  return attributes;
}

/** A model call's span name: `{operation} {request model}`, the operation alone without a model. */
export function modelCallName(operation: string, attributes: Attributes): string {
  const model = attributes[ATTR_GEN_AI_REQUEST_MODEL];
  return typeof model === 'string' ? `${operation} ${model}` : operation;
}

/**
 * The path every model call takes: the budget gates first (a refused call is a span with the
 * error and a rejected promise, and nothing is sent; a degraded call sends a changed copy of the
 * request), then the traced call, whose decisions settle with its actual cost.
 */
export function traceModelCall<Req, R>(o: ModelCallOptions<Req, R>): R | Promise<never> {
  const gated = hasModelCallGates() ? consultGatesFor(o) : undefined;
  if (gated?.blocked) return Promise.reject(gated.blocked);
  const changed = gated && (gated.model !== undefined || gated.maxOutputTokens !== undefined);
  const sent = changed ? o.applyGate(o.request, gated) : o.request;
  // Without gates, the options are the span's options as they are (nothing copied per call).
  const span: CallSpanOptions = gated
    ? {
        tracer: o.tracer,
        name: o.name,
        attributes: o.attributes,
        kind: o.kind,
        decisions: gated.decisions,
      }
    : o;
  return traceCallOf(span, new SentCall(o, sent), o.observe);
}

/**
 * The gates' verdict on a call. Apart from `traceModelCall`, so that a call without gates makes no
 * context for this closure (a function that makes one gets it on every call).
 */
function consultGatesFor<Req, R>(o: ModelCallOptions<Req, R>): Gated | undefined {
  return safely('consulting budget gates', () => {
    const gate = typeof o.gate === 'function' ? o.gate() : o.gate;
    return gateModelCall(o.tracer, {
      request: o.request,
      ...gate,
      name: o.name,
      attributes: o.attributes,
    });
  });
}

/** The request actually sent, with what to do with its result: one object per call. */
class SentCall<Req, R> implements TracedCall<R> {
  readonly #o: ModelCallOptions<Req, R>;
  readonly #sent: Req;
  constructor(o: ModelCallOptions<Req, R>, sent: Req) {
    this.#o = o;
    this.#sent = sent;
  }
  call(): R {
    return this.#o.call(this.#sent);
  }
  onResult(call: CallSpan, value: Awaited<R>): 'open' | undefined {
    return this.#o.onResult(call, value, this.#sent);
  }
}
