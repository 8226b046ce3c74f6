import { type AgentFacts, withFrameworkAgent } from '@burnrate/core';

/**
 * An async iterable whose iteration runs in the facts' scope. A model's streamed response is an
 * async generator: its body runs at each `next()`, in the context of whoever calls it, so the scope
 * must be entered there, not where the generator was made.
 */
export function scopedIterable(iterable: unknown, facts: AgentFacts): unknown {
  const source = iterable as AsyncIterable<unknown> | undefined;
  if (typeof source?.[Symbol.asyncIterator] !== 'function') return iterable;
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const it = withFrameworkAgent(facts, () => source[Symbol.asyncIterator]());
      const scoped: AsyncIterator<unknown> = {
        next: (...args: [] | [unknown]) => withFrameworkAgent(facts, () => it.next(...args)),
      };
      const ret = it.return;
      if (typeof ret === 'function') {
        scoped.return = (value?: unknown) =>
          withFrameworkAgent(facts, () => ret.call(it, value) as Promise<IteratorResult<unknown>>);
      }
      const thr = it.throw;
      if (typeof thr === 'function') {
        scoped.throw = (error?: unknown) => withFrameworkAgent(facts, () => thr.call(it, error));
      }
      return scoped;
    },
  };
}
