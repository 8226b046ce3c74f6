import { AsyncLocalStorage } from 'node:async_hooks';
import { type Attributes, type Context, context as otelContext, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import {
  ATTR_BURNRATE_ENDPOINT,
  ATTR_BURNRATE_TEAM,
  ATTR_BURNRATE_TENANT,
  ATTR_HTTP_ROUTE,
} from './semconv.ts';

/** Who a call's cost belongs to. Values become metric labels: keep them bounded (no user ids). */
export interface Attribution {
  team?: string;
  endpoint?: string;
  tenant?: string;
}

const storage = new AsyncLocalStorage<Attribution>();

/**
 * Runs `fn` with an attribution scope: every instrumented call inside it (nested calls and
 * concurrent promises included) is attributed to these values. Inner scopes override outer ones
 * field by field.
 */
export function withAttribution<T>(attribution: Attribution, fn: () => T): T {
  const outer = storage.getStore();
  const merged: Attribution = { ...outer };
  for (const key of ['team', 'endpoint', 'tenant'] as const) {
    const value = attribution[key];
    if (typeof value === 'string' && value !== '') merged[key] = value;
  }
  return storage.run(merged, fn);
}

/** The explicit attribution scope in force, if any. */
export function attributionScope(): Attribution | undefined {
  return storage.getStore();
}

interface SpanWithAttributes {
  attributes?: Attributes;
}

/** The inbound request's route template (`/users/:id`, never the raw path), when one is known. */
export function inboundRoute(ctx: Context = otelContext.active()): string | undefined {
  const route = getRPCMetadata(ctx)?.route;
  if (typeof route === 'string' && route !== '') return route;
  const span = trace.getSpan(ctx) as SpanWithAttributes | undefined;
  const fromSpan = span?.attributes?.[ATTR_HTTP_ROUTE];
  return typeof fromSpan === 'string' && fromSpan !== '' ? fromSpan : undefined;
}

/**
 * Attribution for a call starting now: the explicit scope first, then the inbound route for the
 * endpoint. Team and environment from the resource are applied by the Collector (they live on the
 * resource, not on each span).
 */
export function currentAttribution(ctx: Context = otelContext.active()): Attribution {
  const scope = storage.getStore();
  const result: Attribution = { ...scope };
  if (!result.endpoint) {
    const route = inboundRoute(ctx);
    if (route) result.endpoint = route;
  }
  return result;
}

/** The span attributes for the current attribution. */
export function attributionAttributes(ctx: Context = otelContext.active()): Attributes {
  return attributionAttributesOf(storage.getStore(), ctx);
}

/**
 * The span attributes for a scope captured earlier (`attributionScope()`) and the context a span
 * started in: lets the span processor capture cheaply at start and compute only for GenAI spans.
 */
export function attributionAttributesOf(scope: Attribution | undefined, ctx: Context): Attributes {
  const a: Attribution = { ...scope };
  if (!a.endpoint) {
    const route = inboundRoute(ctx);
    if (route) a.endpoint = route;
  }
  const attrs: Attributes = {};
  if (a.team) attrs[ATTR_BURNRATE_TEAM] = a.team;
  if (a.endpoint) attrs[ATTR_BURNRATE_ENDPOINT] = a.endpoint;
  if (a.tenant) attrs[ATTR_BURNRATE_TENANT] = a.tenant;
  return attrs;
}
