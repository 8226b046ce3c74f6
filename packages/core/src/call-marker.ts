import { type Context, createContextKey, trace } from '@opentelemetry/api';

/**
 * Marks a context as inside a call that Burnrate's own instrumentation records, so that a GenAI
 * span another instrumentation starts inside it (for the same call) is never priced a second time.
 */
const KEY = createContextKey('burnrate.call');
const superseded = new WeakSet<object>();

interface MaybeAttributes {
  attributes?: Record<string, unknown>;
}

/**
 * Marks `ctx` as inside a Burnrate-recorded call. When the span Burnrate starts under is itself a
 * GenAI span of another instrumentation wrapping the same call, that span is marked superseded.
 */
export function markBurnrateCall(ctx: Context, parent: Context = ctx): Context {
  const outer = trace.getSpan(parent) as MaybeAttributes | undefined;
  const attrs = outer?.attributes;
  if (
    outer &&
    attrs &&
    Object.keys(attrs).some((k) => k.startsWith('gen_ai.') || k.startsWith('llm.'))
  ) {
    superseded.add(outer);
  }
  return ctx.setValue(KEY, true);
}

export function isInsideBurnrateCall(ctx: Context): boolean {
  return ctx.getValue(KEY) === true;
}

export function isSuperseded(span: object): boolean {
  return superseded.has(span);
}
