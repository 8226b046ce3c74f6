import { createRequire } from 'node:module';
import path from 'node:path';
import { safely } from '@burnrate/core';
import { ai6Listener } from './ai6-calls.ts';
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

function standIn(registry: unknown[], otel: string | undefined): object {
  let delegate: Integration | null | undefined;
  const loaded = (): Integration | undefined => {
    if (delegate === undefined) delegate = (otel && loadOtelIntegration(otel)) || null;
    return delegate ?? undefined;
  };
  return new Proxy(
    {},
    {
      has: (_t, key) => key === MARK,
      get(_t, key) {
        if (key === MARK) return true;
        // `then`: the stand-in must never look like a promise.
        if (key === 'then') return undefined;
        // The app registered its own integration: it is in charge.
        if (registry.some((i) => !isStandIn(i))) return undefined;
        const target = loaded();
        const value = target?.[key];
        const own =
          typeof value === 'function'
            ? (args: unknown[]) => value.apply(target, args.map(withoutContent))
            : undefined;
        // ai 6 reads each listener once per call: the one handed out now is that call's.
        const ai6 = ai6Listener(key);
        const scoped = typeof key === 'string' && SCOPED.has(key);
        if (!own && !ai6 && !scoped) return value;
        return (...args: unknown[]) => {
          const first = args[0];
          if (fromAi7(first)) return ai7Event(key, args, own);
          if (!hasAiVersion(first)) return ai6?.(first);
          return undefined;
        };
      },
    },
  );
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

type Forward = ((args: unknown[]) => unknown) | undefined;

/** ai 7: every event runs in its call's scope (call-scopes.ts); model calls ask the gates first. */
function ai7Event(key: string | symbol, args: unknown[], own: Forward): unknown {
  const first = args[0];
  const forward = () => own?.(args);
  switch (key) {
    case 'onStart':
      return startCall(first, forward);
    case 'onEnd':
    case 'onError':
    case 'onAbort':
      return endCall(first, forward);
    case 'executeTool':
      return inTool(first, () => (own ? own(args) : executeOf(first)?.()));
    case 'executeLanguageModelCall':
      return inCall(first, () => {
        const execute = executeOf(first);
        if (!execute) return forward();
        const gated = gatedExecute(first, execute);
        return own ? own([{ ...(first as object), execute: gated }]) : gated();
      });
    default:
      return inCall(first, forward);
  }
}

function executeOf(arg: unknown): (() => PromiseLike<unknown>) | undefined {
  const execute = (arg as { execute?: unknown } | null)?.execute;
  return typeof execute === 'function' ? (execute as () => PromiseLike<unknown>) : undefined;
}

function hasAiVersion(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && 'aiVersion' in arg;
}

/**
 * ai 7 stamps every event with `aiVersion`; its other calls pass an error (`onError`) or an
 * `execute` wrapper argument. ai 6 events have none of these.
 */
function fromAi7(arg: unknown): boolean {
  if (arg instanceof Error) return true;
  if (typeof arg !== 'object' || arg === null) return false;
  const e = arg as { aiVersion?: unknown; execute?: unknown };
  if (typeof e.aiVersion === 'string') return e.aiVersion.startsWith('7.');
  return typeof e.execute === 'function';
}

/** The event with prompts and outputs off, unless the call itself turned them on. */
function withoutContent(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || !('aiVersion' in arg)) return arg;
  const e = arg as { recordInputs?: unknown; recordOutputs?: unknown };
  return Object.assign(Object.create(Object.getPrototypeOf(arg)), arg, {
    recordInputs: e.recordInputs === true,
    recordOutputs: e.recordOutputs === true,
  });
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
