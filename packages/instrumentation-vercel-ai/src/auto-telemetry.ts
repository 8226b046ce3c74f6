import { createRequire } from 'node:module';
import path from 'node:path';
import { hasModelCallGates, safely } from '@burnrate/core';
import { ai6Listener } from './ai6-calls.ts';
import { executeOf, fromAi7, hasAiVersion, withoutContent } from './ai7-events.ts';
import { endCall, inCall, inTool, startCall } from './call-scopes.ts';
import { gatedExecute } from './model-call-gate.ts';

/**
 * The Vercel AI SDK makes spans only when the app asks: ai 7 through a telemetry integration
 * (`registerTelemetry(new OpenTelemetry())` from `@ai-sdk/otel`, or `telemetry.integrations` per
 * call), ai 6 per call (`experimental_telemetry`). `enableAiSdkTelemetry` registers a stand-in in
 * the AI SDK's global registry (`globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`, which both majors read
 * at every call), so no code change is needed and nothing is loaded at start-up:
 * - ai 7 events (stamped `aiVersion: '7.…'`) go to `@ai-sdk/otel`'s `OpenTelemetry` integration,
 *   loaded at the first call when the app has it installed, with prompts and outputs off
 *   (`recordInputs` / `recordOutputs` false unless the call sets them true);
 * - ai 6 events: one `chat {model}` span per model call (`ai6-steps.ts`), each call its scope,
 *   an agent loop its run, an ai 6 call inside one of its tools that tool's (`ai6-calls.ts`).
 * BurnrateSpanProcessor prices those spans.
 *
 * The app stays in charge: the stand-in is silent while another integration is registered
 * globally (`ai` calls them all: a call would be traced twice), and `ai` does not call it for a
 * call that passes its own `telemetry.integrations`.
 */
const MARK = Symbol.for('burnrate.ai-sdk-telemetry');

type Integration = Record<PropertyKey, unknown>;
type GlobalWithRegistry = typeof globalThis & { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

export interface AiSdkTelemetryOptions {
  /** Directories from which `@ai-sdk/otel` is resolved, in order (default: the entry's, the cwd). */
  resolveFrom?: readonly string[];
}

export function enableAiSdkTelemetry(options: AiSdkTelemetryOptions = {}): void {
  safely('registering the AI SDK telemetry integration', () => {
    const g = globalThis as GlobalWithRegistry;
    if (!Array.isArray(g.AI_SDK_TELEMETRY_INTEGRATIONS)) g.AI_SDK_TELEMETRY_INTEGRATIONS = [];
    const registry = g.AI_SDK_TELEMETRY_INTEGRATIONS;
    if (registry.some(isStandIn)) return;
    // `@ai-sdk/otel` is resolved now (a few file lookups) and loaded at the first AI SDK call.
    registry.push(standIn(registry, resolveOtel(options.resolveFrom ?? defaultResolveFrom())));
  });
}

function isStandIn(integration: unknown): boolean {
  return typeof integration === 'object' && integration !== null && MARK in integration;
}

function defaultResolveFrom(): string[] {
  const dirs = [process.cwd()];
  if (process.argv[1]) dirs.unshift(path.dirname(path.resolve(process.argv[1])));
  return dirs;
}

/** What the stand-in hands out for one delegate method: kept while that method stays the same. */
interface Handler {
  value: unknown;
  fn: (...args: unknown[]) => unknown;
}

function standIn(registry: unknown[], otel: string | undefined): object {
  let delegate: Integration | null | undefined;
  const loaded = (): Integration | undefined => {
    if (delegate === undefined) delegate = (otel && loadOtelIntegration(otel)) || null;
    return delegate ?? undefined;
  };
  // ai reads about thirty hooks at every call: the handler of a key that keeps no per-call state
  // (every key but ai 6's listeners) is made once, not at each read.
  const handlers = new Map<PropertyKey, Handler>();
  const proxy: object = new Proxy(
    {},
    {
      has: (_t, key) => key === MARK,
      get(_t, key) {
        if (key === MARK) return true;
        // `then`: the stand-in must never look like a promise.
        if (key === 'then') return undefined;
        // The app registered its own integration: it is in charge.
        if (!alone(registry, proxy)) return undefined;
        const target = loaded();
        const value = target?.[key];
        const cached = handlers.get(key);
        if (cached && cached.value === value) return cached.fn;
        const own = typeof value === 'function' ? forwardTo(target, value as Method) : undefined;
        // ai 6 reads each listener once per call: the one handed out now is that call's.
        const ai6 = ai6Listener(key);
        const scoped = typeof key === 'string' && SCOPED.has(key);
        if (!own && !ai6 && !scoped) return value;
        const fn = (...args: unknown[]): unknown => {
          const first = args[0];
          if (fromAi7(first)) return ai7Event(key, first, args, own);
          if (!hasAiVersion(first)) return ai6?.(first);
          return undefined;
        };
        if (!ai6) handlers.set(key, { value, fn });
        return fn;
      },
    },
  );
  return proxy;
}

/** Whether no integration but stand-ins is registered (`self` alone, the usual case, at once). */
function alone(registry: readonly unknown[], self: object): boolean {
  if (registry.length === 1 && registry[0] === self) return true;
  for (const i of registry) if (!isStandIn(i)) return false;
  return true;
}

type Forward = ((args: unknown[]) => unknown) | undefined;
type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Calls the delegate's method with the events' prompts and outputs off (`withoutContent`). */
function forwardTo(target: Integration | undefined, method: Method): (args: unknown[]) => unknown {
  return (args) => {
    for (let i = 0; i < args.length; i++) args[i] = withoutContent(args[i]);
    return method.apply(target, args);
  };
}

/** Events the stand-in handles even without `@ai-sdk/otel`: call scopes, tools and gates. */
const SCOPED = new Set([
  'onStart',
  'onEnd',
  'onError',
  'onAbort',
  'executeTool',
  'executeLanguageModelCall',
]);

/** ai 7: every event runs in its call's scope (call-scopes.ts); model calls ask the gates first. */
function ai7Event(key: string | symbol, first: unknown, args: unknown[], own: Forward): unknown {
  switch (key) {
    case 'onStart':
      return startCall(first, own, args);
    case 'onEnd':
    case 'onError':
    case 'onAbort':
      return endCall(first, own, args);
    case 'executeTool':
      return inTool(first, own ?? runExecute, args);
    case 'executeLanguageModelCall':
      return inCall<ModelCall, unknown>(first, modelCall, [first, own, args]);
    default:
      return inCall(first, own, args);
  }
}

type ModelCall = [first: unknown, own: Forward, args: unknown[]];

/** `executeTool` without `@ai-sdk/otel`: the tool's own execution. */
function runExecute(args: unknown[]): unknown {
  return executeOf(args[0])?.();
}

/**
 * `executeLanguageModelCall`, in the call's scope: the provider call goes through the gates when
 * one is registered (withBudget, the evaluator's, the breaker), else straight on as it came.
 */
function modelCall([first, own, args]: ModelCall): unknown {
  const execute = executeOf(first);
  if (!execute || !hasModelCallGates()) return own ? own(args) : execute?.();
  const gated = gatedExecute(first, execute);
  return own ? own([{ ...(first as object), execute: gated }]) : gated();
}

function resolveOtel(resolveFrom: readonly string[]): string | undefined {
  for (const from of resolveFrom) {
    try {
      return createRequire(path.join(from, 'noop.js')).resolve('@ai-sdk/otel');
    } catch {
      // not installed there
    }
  }
  return undefined;
}

function loadOtelIntegration(file: string): Integration | undefined {
  return safely('loading @ai-sdk/otel', () => {
    const { OpenTelemetry } = createRequire(file)(file) as {
      OpenTelemetry?: new (o?: object) => Integration;
    };
    return OpenTelemetry ? new OpenTelemetry() : undefined;
  });
}
