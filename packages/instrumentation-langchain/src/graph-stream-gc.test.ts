import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { COPIES, completion, useHarness } from './test-setup.ts';

/**
 * A LangGraph `stream()` the caller drops before reading it out: its run ends when the stream
 * object is collected (no idle deadline: a slow reader keeps its run), so the run span is made
 * with what the run spent so far. Without it the run stays open for ever.
 */
const h = useHarness();
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Ctor = new (...args: unknown[]) => Record<string, (...args: unknown[]) => unknown>;
type Graph = { stream(i: object, c?: object): Promise<AsyncIterable<unknown>> };

/** `plan` → `answer`, each node one model call. */
function graph(c: (typeof COPIES)[number]): Graph {
  const { Annotation, StateGraph, START, END } = c.lg as Record<string, never> & {
    Annotation: ((o?: object) => unknown) & { Root(o: object): unknown };
    StateGraph: Ctor;
  };
  const node = (content: string) => async () => {
    await h.openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content }],
    });
    return { n: 1 };
  };
  const builder = new StateGraph(Annotation.Root({ n: Annotation() }));
  builder.addNode('plan', node('Plan'));
  builder.addNode('answer', node('Answer'));
  builder.addEdge(START, 'plan');
  builder.addEdge('plan', 'answer');
  builder.addEdge('answer', END);
  return builder.compile({ name: 'dropper' }) as unknown as Graph;
}

const runsOf = (spans: ReadableSpan[]) =>
  spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');

/** Reads one chunk of the graph's stream, then lets go of it (nothing else references it). */
async function readOneAndDrop(g: Graph): Promise<void> {
  const stream = await g.stream({}, { configurable: { thread_id: 't-gc' } });
  await stream[Symbol.asyncIterator]().next();
}

async function collectUntil(done: () => boolean): Promise<void> {
  // The watch is registered for collection by core's sweep (within a second), then collected.
  for (let i = 0; i < 60 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 100));
    gc();
  }
}

describe.each(COPIES)('LangGraph $major.x: a stream dropped unread', (c) => {
  it('ends its run when collected: one run span with the calls made so far', async () => {
    h.replay.respond('POST', '/v1/chat/completions', () => completion(30, 7));
    h.replay.respond('POST', '/v1/chat/completions', () => completion(20, 5));
    await readOneAndDrop(graph(c));
    await collectUntil(() => runsOf(h.tracing.spans()).length > 0);
    const spans = h.tracing.spans();
    const calls = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    const runs = runsOf(spans);
    expect(runs.map((s) => s.name)).toEqual(['invoke_agent dropper']);
    expect(calls.length).toBeGreaterThan(0);
    expect(runs[0].attributes['burnrate.run.calls']).toBe(calls.length);
    for (const s of calls) {
      expect(s.attributes['burnrate.run.id']).toBe(runs[0].attributes['burnrate.run.id']);
    }
  });
});
