import { burnrateLogger } from '@burnrate/core';
import { type Context, context, createContextKey, trace } from '@opentelemetry/api';
import type { ClientLike, Middleware, Next } from './types.ts';

/** Where the response headers of one traced call land (read by its handler). */
export interface HeaderSlot {
  headers?: Record<string, string | undefined>;
}

type Output = Awaited<ReturnType<Next>>;

const SLOT = createContextKey('burnrate.bedrock.headers');
const MIDDLEWARE_NAME = 'burnrateBedrockUsageHeaders';
const withMiddleware = new WeakSet<object>();
/** Slots of calls whose middleware was not built while they were sent, by their span. */
const slotsBySpan = new WeakMap<object, HeaderSlot>();
/** The slot of the call being sent, taken by the middleware as the SDK builds that call's chain. */
let sending: HeaderSlot | undefined;

export function withHeaderSlot(ctx: Context, slot: HeaderSlot): Context {
  return ctx.setValue(SLOT, slot);
}

/**
 * Calls `send(arg)` with `slot` for the call's response headers. The SDK builds each call's
 * middleware chain synchronously inside `send`, so the middleware takes the slot then: no context
 * is made (a context copy and a context switch per call, and whatever the SDK's async resources
 * keep of it). A client that reuses built chains (`cacheMiddleware`) finds it in the context
 * instead, as does (by the call's span) a call whose chain was built later than its `send`.
 */
export function sendWithHeaderSlot<A>(
  client: ClientLike,
  slot: HeaderSlot,
  send: (arg: A) => unknown,
  arg: A,
): unknown {
  if (client.config?.cacheMiddleware === true)
    return context.with(withHeaderSlot(context.active(), slot), send, undefined, arg);
  const previous = sending;
  sending = slot;
  try {
    return send(arg);
  } finally {
    // Not taken: something deferred the SDK's `send` (the chain is built later, in this context).
    if (sending === slot) {
      const span = trace.getSpan(context.active());
      if (span) slotsBySpan.set(span, slot);
    }
    sending = previous;
  }
}

/**
 * InvokeModel reports the billed token counts of every model in response headers
 * (`x-amzn-bedrock-input-token-count`, ...), which the SDK leaves out of its output. A deserialize
 * middleware, added once per client, copies them to the slot of the traced call it runs for: the
 * one being sent when the SDK builds the chain, else the one in the active context or of the
 * active span. It only reads: the response and the output are passed on untouched.
 */
const captureHeaders: Middleware = (next) => {
  const slot = sending;
  sending = undefined;
  if (!slot) return (args) => next(args).then(copyHeaders);
  return (args) => next(args).then((out) => storeHeaders(slot, out));
};

function storeHeaders(slot: HeaderSlot, out: Output): Output {
  try {
    slot.headers = out?.response?.headers;
  } catch (error) {
    burnrateLogger.warn(
      'reading Bedrock usage headers failed; telemetry for this call may be incomplete',
      error,
    );
  }
  return out;
}

/** Runs in the traced call's context (a promise reaction keeps the context it was made in). */
function copyHeaders(out: Output): Output {
  let slot: HeaderSlot | undefined;
  try {
    const active = context.active();
    slot = active.getValue(SLOT) as HeaderSlot | undefined;
    if (!slot) {
      const span = trace.getSpan(active);
      slot = span && slotsBySpan.get(span);
    }
  } catch (error) {
    burnrateLogger.warn(
      'reading Bedrock usage headers failed; telemetry for this call may be incomplete',
      error,
    );
  }
  return slot ? storeHeaders(slot, out) : out;
}

export function ensureHeaderMiddleware(client: ClientLike): void {
  if (withMiddleware.has(client) || !client.middlewareStack) return;
  withMiddleware.add(client);
  client.middlewareStack.add(captureHeaders, {
    step: 'deserialize',
    name: MIDDLEWARE_NAME,
    override: true,
  });
}
