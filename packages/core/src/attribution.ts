import { AsyncLocalStorage } from 'node:async_hooks';
import { type Attributes, type Context, context as otelContext, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { RunState } from './agent-run.ts';
import {
  ATTR_BURNRATE_ENDPOINT,
  ATTR_BURNRATE_RUN_ID,
  ATTR_BURNRATE_TEAM,
  ATTR_BURNRATE_TENANT,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_ROUTE,
  ATTR_SESSION_ID,
} from './semconv.ts';

/**
 * Who a call's cost belongs to. `team`, `endpoint`, `tenant` and `agent` become metric labels:
 * keep them bounded (no user ids). `session` and `conversation` stay on spans, never labels.
 */
export interface Attribution {
  team?: string;
  endpoint?: string;
  tenant?: string;
  agent?: string;
  session?: string;
  conversation?: string;
}

/** What an agent framework knows about a call: read from the framework, never a code change. */
export interface AgentFacts {
  agent?: string;
  conversation?: string;
  session?: string;
  tool?: string;
}

/**
 * The scope in force: explicit attribution (`withAttribution`, `withBudget`) and, apart, what
 * frameworks said (`withFrameworkAgent`); explicit values win. One store, so a span's start
 * captures everything with one lookup.
 */
export interface AttributionScope extends Attribution {
  readonly framework?: AgentFacts;
  readonly run?: RunState;
}

const storage = new AsyncLocalStorage<AttributionScope>();

const EXPLICIT = ['team', 'endpoint', 'tenant', 'agent', 'session', 'conversation'] as const;
const FACTS = ['agent', 'conversation', 'session', 'tool'] as const;

function merged<K extends string>(
  outer: Partial<Record<K, string>> | undefined,
  inner: Partial<Record<K, unknown>>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = { ...outer };
  for (const key of keys) {
    const value = inner[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

/**
 * Runs `fn` with an attribution scope: every instrumented call inside it (nested calls and
 * concurrent promises included) is attributed to these values. Inner scopes override outer ones
 * field by field.
 */
export function withAttribution<T>(attribution: Attribution, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run({ ...outer, ...merged(outer, attribution, EXPLICIT) }, fn);
}

/**
 * Runs `fn` with what a framework knows (agent, conversation, session, tool) for every call
 * inside it. Inner scopes override outer ones field by field; explicit attribution always wins.
 */
export function withFrameworkAgent<T>(facts: AgentFacts, fn: () => T): T {
  const outer = storage.getStore();
  // Most framework hooks run inside a scope that already says the same (a graph's `invoke` reads
  // its own `stream`, an agent's steps run inside its run): then `fn` runs as it is, in it.
  if (factsInForce(outer?.framework, facts)) return fn();
  return storage.run({ ...outer, framework: merged(outer?.framework, facts, FACTS) }, fn);
}

/** Whether every fact given is already the one in force (entering would change nothing). */
function factsInForce(framework: AgentFacts | undefined, facts: AgentFacts): boolean {
  for (const key of FACTS) {
    const value = facts[key];
    if (typeof value === 'string' && value !== '' && framework?.[key] !== value) return false;
  }
  return true;
}

/** Runs `fn` in `scope` (agent-run.ts). */
export function runInScope<T>(scope: AttributionScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The explicit attribution scope in force, if any. */
export function attributionScope(): AttributionScope | undefined {
  return storage.getStore();
}

/** The agent facts of a scope, explicit values first. */
export function agentFactsOf(scope: AttributionScope | undefined): AgentFacts {
  if (!scope) return {};
  const f = scope.framework;
  const out: AgentFacts = {};
  const agent = scope.agent ?? f?.agent;
  if (agent) out.agent = agent;
  const conversation = scope.conversation ?? f?.conversation;
  if (conversation) out.conversation = conversation;
  const session = scope.session ?? f?.session;
  if (session) out.session = session;
  if (f?.tool) out.tool = f.tool;
  return out;
}

/** The agent, conversation, session and tool of a call starting now (explicit values win). */
export function currentAgentFacts(): AgentFacts {
  return agentFactsOf(storage.getStore());
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
 * Attribution for a call starting now: the explicit scope first (the agent from a framework when
 * no explicit one), then the inbound route for the endpoint. Team and environment from the
 * resource are applied by the Collector (they live on the resource, not on each span).
 */
export function currentAttribution(ctx: Context = otelContext.active()): Attribution {
  const scope = storage.getStore();
  const result: Attribution = {};
  if (scope) {
    for (const key of EXPLICIT) if (scope[key]) result[key] = scope[key];
    Object.assign(result, agentFactsOf(scope));
    delete (result as AgentFacts).tool;
  }
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
 * Writes a scope's attribution into `out`: the labels (team, endpoint, tenant), the agent facts
 * and the run. `existing` are the span's own attributes: a framework's fact never overwrites
 * what the span already says; explicit values do. Returns whether anything was written.
 */
export function writeScopeAttributes(
  scope: AttributionScope | undefined,
  endpoint: string | undefined,
  out: Attributes,
  existing?: Attributes,
): boolean {
  // Every call with an endpoint or a scope passes here: a module function, not a closure per call.
  let written =
    put(out, existing, ATTR_BURNRATE_TEAM, scope?.team, true) +
    put(out, existing, ATTR_BURNRATE_ENDPOINT, endpoint, true) +
    put(out, existing, ATTR_BURNRATE_TENANT, scope?.tenant, true);
  if (!scope) return written > 0;
  const f = scope.framework;
  const agent = scope.agent ?? f?.agent;
  const conversation = scope.conversation ?? f?.conversation;
  const session = scope.session ?? f?.session;
  written +=
    put(out, existing, ATTR_GEN_AI_AGENT_NAME, agent, scope.agent !== undefined) +
    put(
      out,
      existing,
      ATTR_GEN_AI_CONVERSATION_ID,
      conversation,
      scope.conversation !== undefined,
    ) +
    put(out, existing, ATTR_SESSION_ID, session, scope.session !== undefined) +
    put(out, existing, ATTR_GEN_AI_TOOL_NAME, f?.tool, false) +
    (scope.run ? put(out, existing, ATTR_BURNRATE_RUN_ID, scope.run.id, true) : 0);
  return written > 0;
}

/** Writes one attribution value (an explicit one always, a framework's only where the span has none); 1 if written. */
function put(
  out: Attributes,
  existing: Attributes | undefined,
  key: string,
  value: string | undefined,
  explicit: boolean,
): number {
  if (!value || (!explicit && existing?.[key] !== undefined)) return 0;
  out[key] = value;
  return 1;
}

/**
 * The span attributes for a scope captured earlier (`attributionScope()`) and the context a span
 * started in: lets the span processor capture cheaply at start and compute only for GenAI spans.
 */
export function attributionAttributesOf(
  scope: AttributionScope | undefined,
  ctx: Context,
  existing?: Attributes,
): Attributes {
  const attrs: Attributes = {};
  writeScopeAttributes(scope, scope?.endpoint || inboundRoute(ctx), attrs, existing);
  return attrs;
}
