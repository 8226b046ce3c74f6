import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { type AgentFacts, safely, withAgentRun, withFrameworkAgent } from '@burnrate/core';
import {
  ownTelemetryOn,
  type Pending,
  type StepFinish,
  stepSpan,
  stepStarted,
} from './ai6-steps.ts';
import { agentOfEvent } from './call-scopes.ts';

/**
 * ai 6 calls (`generateText`, `streamText`): their events carry no call id and ai 6 has no hook
 * around a tool's execution, but it reads the six listeners of every registered integration once
 * per call, in one synchronous go, `onStart` first (`createGlobalTelemetry`): the listeners handed
 * out from one `onStart` read on are that call's, so every event reaches its own call here.
 * - A call is a scope with its agent (`metadata.agent`, else `functionId`); a call with tools (an
 *   agent loop) is an agent run, from `onStart` to `onFinish` (or until ai drops the call's
 *   listeners: it failed; or after MAX_CALL_MS). Its step spans (ai6-steps.ts) are made in it.
 * - A tool's execution: ai 6 awaits `onToolCallStart` right before it calls the tool, so the
 *   listener marks the rest of that execution (a private AsyncLocalStorage, entered with
 *   `enterWith`: ai's own frames, not the caller's). An ai 6 call started inside the tool is a
 *   step of the outer call's run, with the tool's name. A call the loop makes outside any tool
 *   (in the app's callbacks) joins the run without a tool. Calls of other SDKs made inside an ai 6
 *   tool get neither: they see only the caller's scope.
 */
const KEYS = new Set([
  'onStart',
  'onStepStart',
  'onToolCallStart',
  'onToolCallFinish',
  'onStepFinish',
  'onFinish',
]);

/** A call never finished (an error ai does not report, a stream nobody read) ends after this. */
const MAX_CALL_MS = 10 * 60_000;

interface ToolMark {
  call: Ai6Call;
  tool: string | undefined;
  done: boolean;
}
const toolMark = new AsyncLocalStorage<ToolMark>();

interface Ai6Event {
  tools?: unknown;
  toolCall?: { toolName?: unknown; toolCallId?: unknown } | null;
}
const ev = (v: unknown): Ai6Event => (typeof v === 'object' && v !== null ? (v as Ai6Event) : {});
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function hasTools(tools: unknown): boolean {
  if (Array.isArray(tools)) return tools.length > 0;
  return typeof tools === 'object' && tools !== null && Object.keys(tools).length > 0;
}

// Held values are calls, which hold no listener: a call's listeners collected = ai is done with it.
const dropped = new FinalizationRegistry<Ai6Call>((call) => call.finish());

class Ai6Call {
  finished = false;
  #resource: AsyncResource | undefined;
  #end: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #steps: Pending[] = [];
  #tools = new Map<string, ToolMark>();
  #listener: WeakRef<object> | undefined;

  /** The listener whose collection means the call is over. */
  watch(listener: object): void {
    this.#listener ??= new WeakRef(listener);
  }

  start(event: unknown): void {
    if (this.#resource || this.finished) return;
    const mark = toolMark.getStore();
    const parent = mark && !mark.call.finished ? mark.call : undefined;
    const tool = mark && !mark.done ? mark.tool : undefined;
    const facts: AgentFacts = agentOfEvent(event);
    const promise = new Promise<void>((resolve) => {
      this.#end = resolve;
    });
    const body = () => {
      this.#resource = new AsyncResource('burnrate.ai6-call');
      return promise;
    };
    const begin = () => {
      if (hasTools(ev(event).tools)) void withAgentRun(facts, body);
      else void withFrameworkAgent(facts, body);
    };
    const inParent = () => (tool ? withFrameworkAgent({ tool }, begin) : begin());
    if (parent) parent.run(inParent);
    else inParent();
    this.#timer = setTimeout(() => this.finish(), MAX_CALL_MS);
    this.#timer.unref?.();
    const listener = this.#listener?.deref();
    if (listener) dropped.register(listener, this, this);
  }

  run<T>(fn: () => T): T {
    return this.#resource ? this.#resource.runInAsyncScope(fn) : fn();
  }

  stepStart(): void {
    if (!ownTelemetryOn()) this.#steps.push(stepStarted());
  }

  stepFinish(event: unknown): void {
    const step = this.#steps.shift();
    if (step) this.run(() => stepSpan(event as StepFinish, step));
  }

  toolStart(event: unknown): void {
    const call = ev(event).toolCall;
    const mark: ToolMark = { call: this, tool: str(call?.toolName), done: false };
    const id = str(call?.toolCallId);
    if (id) this.#tools.set(id, mark);
    // The tool runs right after ai awaited this listener: in this frame, not the caller's.
    toolMark.enterWith(mark);
  }

  toolFinish(event: unknown): void {
    const id = str(ev(event).toolCall?.toolCallId);
    const mark = id ? this.#tools.get(id) : undefined;
    if (mark) mark.done = true;
    if (id) this.#tools.delete(id);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    dropped.unregister(this);
    for (const mark of this.#tools.values()) mark.done = true;
    this.#tools.clear();
    this.#end?.();
  }

  event(key: string, event: unknown): void {
    safely('AI SDK 6 call event', () => {
      switch (key) {
        case 'onStart':
          return this.start(event);
        case 'onStepStart':
          return this.stepStart();
        case 'onStepFinish':
          return this.stepFinish(event);
        case 'onToolCallStart':
          return this.toolStart(event);
        case 'onToolCallFinish':
          return this.toolFinish(event);
        case 'onFinish':
          return this.finish();
      }
    });
  }
}

let current: Ai6Call | undefined;

/**
 * The listener for `key` of the call whose listeners ai is reading now (a new call from its
 * `onStart` on), or undefined for a key ai 6 does not call.
 */
export function ai6Listener(key: string | symbol): ((event: unknown) => void) | undefined {
  if (typeof key !== 'string' || !KEYS.has(key)) return undefined;
  if (key === 'onStart' || !current) current = new Ai6Call();
  const call = current;
  const listener = (event: unknown) => call.event(key, event);
  if (key === 'onFinish') call.watch(listener);
  return listener;
}
