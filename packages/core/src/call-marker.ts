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
  if (outer && attrs && hasGenAiKey(attrs)) superseded.add(outer);
  return ctx.setValue(KEY, true);
}

/** Whether a span's attributes name a GenAI call (no array of keys made: this runs per call). */
function hasGenAiKey(attrs: Record<string, unknown>): boolean {
  for (const k in attrs) if (k.startsWith('gen_ai.') || k.startsWith('llm.')) return true;
  return false;
}

/** Marked copies of parent contexts: a service's calls share few parents (a request's context). */
const markedParents = new WeakMap<Context, Context>();

/**
 * `markBurnrateCall(parent)`, with the marked context kept per parent (it holds no reference to
 * the parent): a call's context is then the cached marked parent with its span set, one context
 * made per call instead of two. Marks a superseded outer span like `markBurnrateCall`.
 */
export function markedParent(parent: Context): Context {
  let marked = markedParents.get(parent);
  if (marked === undefined) {
    marked = markBurnrateCall(parent);
    markedParents.set(parent, marked);
  } else {
    const outer = trace.getSpan(parent) as MaybeAttributes | undefined;
    const attrs = outer?.attributes;
    if (outer && attrs && hasGenAiKey(attrs)) superseded.add(outer);
  }
  return marked;
}

export function isInsideBurnrateCall(ctx: Context): boolean {
  return ctx.getValue(KEY) === true;
}

export function isSuperseded(span: object): boolean {
  return superseded.has(span);
}
