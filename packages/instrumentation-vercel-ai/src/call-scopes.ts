import { AsyncResource } from 'node:async_hooks';
import { type AgentFacts, safely, withAgentRun, withFrameworkAgent } from '@burnrate/core';

/**
 * Agent attribution and runs for ai 7 calls, from the telemetry integration events (ai 7 sends
 * them to globally registered integrations, each with the call's `callId`):
 * - the agent: `metadata.agent` when an event has it (ai 6's `experimental_telemetry.metadata`;
 *   ai 7 has no metadata), else the call's `functionId` (`telemetry.functionId`; a
 *   `ToolLoopAgent` passes its `telemetry` settings);
 * - the run: a `generateText` / `streamText` call with tools (an agent loop: each step is a model
 *   call) is one agent run; a call made inside another run's tool joins it;
 * - the tool: ai 7 runs each tool's `execute` through the integrations' `executeTool`, which runs
 *   it in the call's scope with `gen_ai.tool.name` (a model call inside the tool carries it).
 * The scope of a call is captured when it starts (an AsyncResource made inside it) and re-entered
 * for every later event of the same call, so the spans the telemetry integration starts then
 * (`chat {model}`, made in `onLanguageModelCallStart`) belong to it.
 */
interface CallScope {
  resource: AsyncResource;
  end(): void;
}

interface CallEvent {
  callId?: unknown;
  operationId?: unknown;
  functionId?: unknown;
  metadata?: { agent?: unknown } | null;
  tools?: unknown;
  toolCall?: { toolName?: unknown } | null;
  toolName?: unknown;
}

/** A call never ended (a stream nobody read to the end) is forgotten after this long. */
const MAX_CALL_MS = 10 * 60_000;
const calls = new Map<string, CallScope>();

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const event = (arg: unknown): CallEvent =>
  typeof arg === 'object' && arg !== null ? (arg as CallEvent) : {};

/** The agent of a call: `metadata.agent`, else `functionId`. */
export function agentOfEvent(arg: unknown): AgentFacts {
  const e = event(arg);
  const agent = str(e.metadata?.agent) ?? str(e.functionId);
  return agent ? { agent } : {};
}

function hasTools(tools: unknown): boolean {
  if (Array.isArray(tools)) return tools.length > 0;
  return typeof tools === 'object' && tools !== null && Object.keys(tools).length > 0;
}

const LOOPS = new Set(['ai.generateText', 'ai.streamText']);

/** Whether an operation start is an agent loop: generateText / streamText with tools. */
function isAgentLoop(e: CallEvent): boolean {
  const op = str(e.operationId);
  return (op === undefined || LOOPS.has(op)) && hasTools(e.tools);
}

/** What runs in a call's scope: `fn(arg)` (no closure per event). */
type Step<A, T> = (arg: A) => T;

/**
 * A call starts (`onStart`): opens its scope (a run for an agent loop) and runs `fn(a)` (the
 * delegate integration's `onStart`) inside it.
 */
export function startCall<A, T>(arg: unknown, fn: Step<A, T> | undefined, a: A): T | undefined {
  const e = event(arg);
  const callId = str(e.callId);
  if (!callId || calls.has(callId)) return inCall(arg, fn, a);
  let result: T | undefined;
  let ran = false;
  safely('starting an AI SDK call scope', () => {
    let end = () => {};
    const done = new Promise<void>((resolve) => {
      end = resolve;
    });
    const timer = setTimeout(() => finish(callId), MAX_CALL_MS);
    timer.unref?.();
    const body = () => {
      calls.set(callId, {
        resource: new AsyncResource('burnrate.ai-sdk-call'),
        end: () => {
          clearTimeout(timer);
          end();
        },
      });
      ran = true;
      result = fn?.(a);
      return done;
    };
    const facts = agentOfEvent(e);
    if (isAgentLoop(e)) void withAgentRun(facts, body);
    else void withFrameworkAgent(facts, body);
  });
  return ran ? result : fn?.(a);
}

/** Runs `fn(a)` in the call's scope (any later event of a started call). */
export function inCall<A, T>(arg: unknown, fn: Step<A, T> | undefined, a: A): T | undefined {
  if (!fn) return undefined;
  const callId = str(event(arg).callId);
  const scope = callId ? calls.get(callId) : undefined;
  return scope ? scope.resource.runInAsyncScope(fn, undefined, a) : fn(a);
}

/** The call ended (`onEnd`, `onError`, `onAbort`): runs `fn(a)` in its scope, then closes it. */
export function endCall<A, T>(arg: unknown, fn: Step<A, T> | undefined, a: A): T | undefined {
  const callId = str(event(arg).callId);
  try {
    return inCall(arg, fn, a);
  } finally {
    if (callId) finish(callId);
  }
}

function finish(callId: string): void {
  const scope = calls.get(callId);
  calls.delete(callId);
  scope?.end();
}

/** The name of the tool an `executeTool` call runs. */
export function toolOfEvent(arg: unknown): string | undefined {
  const e = event(arg);
  return str(e.toolCall?.toolName) ?? str(e.toolName);
}

/** Runs a tool's execution (`executeTool`: `fn(a)`) in its call's scope, with the tool's name. */
export function inTool<A, T>(arg: unknown, fn: Step<A, T>, a: A): T | undefined {
  const tool = toolOfEvent(arg);
  return inCall(arg, tool ? (x: A) => withFrameworkAgent({ tool }, () => fn(x)) : fn, a);
}
