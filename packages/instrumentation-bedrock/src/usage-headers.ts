import { burnrateLogger } from '@burnrate/core';
import { type Context, context, createContextKey } from '@opentelemetry/api';
import type { ClientLike, Middleware } from './types.ts';

/** Where the response headers of one traced call land (read by its handler). */
export interface HeaderSlot {
  headers?: Record<string, string | undefined>;
}

const SLOT = createContextKey('burnrate.bedrock.headers');
const MIDDLEWARE_NAME = 'burnrateBedrockUsageHeaders';
const withMiddleware = new WeakSet<object>();

export function withHeaderSlot(ctx: Context, slot: HeaderSlot): Context {
  return ctx.setValue(SLOT, slot);
}

/**
 * InvokeModel reports the billed token counts of every model in response headers
 * (`x-amzn-bedrock-input-token-count`, ...), which the SDK leaves out of its output. A deserialize
 * middleware, added once per client, copies them to the slot of the traced call it runs in.
 * It only reads: the response and the output are passed on untouched.
 */
const captureHeaders: Middleware = (next) => (args) => next(args).then(copyHeaders);

/** Runs in the traced call's context (a promise reaction keeps the context it was made in). */
function copyHeaders<O extends { response?: { headers?: Record<string, string | undefined> } }>(
  out: O,
): O {
  try {
    const slot = context.active().getValue(SLOT) as HeaderSlot | undefined;
    if (slot) slot.headers = out?.response?.headers;
  } catch (error) {
    burnrateLogger.warn(
      'reading Bedrock usage headers failed; telemetry for this call may be incomplete',
      error,
    );
  }
  return out;
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
