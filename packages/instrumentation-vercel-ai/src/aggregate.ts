import { safely } from '@burnrate/core';
import type { Attributes, Context } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';

/**
 * Spans whose descendant already carries the cost of the call(s) they wrap. Keyed by the span's
 * attributes object (what a UsageReader sees), which a span keeps for its whole life.
 */
const aggregates = new WeakSet<object>();

export function isAggregate(attrs: Attributes): boolean {
  return aggregates.has(attrs);
}

interface SpanLike {
  readonly attributes?: Attributes;
}

/**
 * Marks every ancestor of a priced span as an aggregate, so no call is priced twice when spans
 * nest: the AI SDK's operation span around its per-call spans (`embeddings {model}` around
 * `embeddings {model}` in `@ai-sdk/otel`), or an AI SDK call span around another
 * instrumentation's span of the same HTTP call (OpenLLMetry, OpenInference, a client SDK's own
 * tracing). The innermost span, the one closest to the billed request, keeps the cost.
 *
 * Add it to the tracer provider beside BurnrateSpanProcessor (any order): children end before
 * their parents, and the marking happens in `onEnd`, after every processor's `onEnding`.
 */
export class AiSdkSpanProcessor {
  readonly #parents = new WeakMap<object, SpanLike>();

  onStart(span: SpanLike, parentContext: Context): void {
    safely('ai sdk span processor onStart', () => {
      const parent = trace.getSpan(parentContext) as SpanLike | undefined;
      if (parent) this.#parents.set(span, parent);
    });
  }

  onEnd(span: SpanLike): void {
    safely('ai sdk span processor onEnd', () => {
      const source = span.attributes?.['burnrate.cost.source'];
      if (source === undefined) return;
      for (let p = this.#parents.get(span); p; p = this.#parents.get(p)) {
        if (p.attributes && typeof p.attributes === 'object') aggregates.add(p.attributes);
      }
      this.#parents.delete(span);
    });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
