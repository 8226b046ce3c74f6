import { attributionScope, currentAgentFacts, currentAgentRun } from '@burnrate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { LangChainInstrumentation } from './index.ts';

/**
 * A graph's `invoke` reads its own `stream`: that stream joins the run `invoke` started, whose
 * end is not the stream's, so the stream is left as it is (no watcher on its methods) and the
 * scope in force is kept (no second one with the same facts).
 */
class GraphStream {
  readonly scope = attributionScope();
  async next(): Promise<{ done: boolean; value: unknown }> {
    return { done: true, value: undefined };
  }
}
class Pregel {
  name = 'billing';
  _streamIterator(): void {}
  async stream(_input?: unknown, _config?: unknown): Promise<GraphStream> {
    return new GraphStream();
  }
  async invoke(input: unknown, config?: unknown): Promise<unknown> {
    const outer = attributionScope();
    const stream = await this.stream(input, config);
    return { stream, outer, facts: currentAgentFacts(), run: currentAgentRun()?.agent };
  }
}

const instrumentation = new LangChainInstrumentation();
instrumentation.patchExports('@langchain/langgraph', { Pregel });
afterAll(() => instrumentation.disable());

describe('LangGraph: stream() inside its own invoke()', () => {
  it('joins the run as it is: the stream unwatched, the scope kept', async () => {
    const out = (await new Pregel().invoke({}, { configurable: { thread_id: 't1' } })) as {
      stream: GraphStream;
      outer: unknown;
      facts: object;
      run: string;
    };
    expect(out.run).toBe('billing');
    expect(out.facts).toEqual({ agent: 'billing', conversation: 't1' });
    expect(Object.hasOwn(out.stream, 'next')).toBe(false);
    expect(out.stream.scope).toBe(out.outer);
  });

  it('stream() on its own is a run whose stream is watched until read out', async () => {
    const stream = await new Pregel().stream();
    expect(Object.hasOwn(stream, 'next')).toBe(true);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});
