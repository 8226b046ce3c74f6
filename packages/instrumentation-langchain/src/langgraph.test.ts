import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COPIES, completion, cost, type LangGraphCopy, useHarness } from './test-setup.ts';

/**
 * The patches over both supported majors of LangGraph / @langchain/core, in process: a graph run
 * is one agent run; its calls carry the graph's (or, unnamed, the node's) name, the tool whose
 * execution made them and the thread; each run ends in one invoke_agent span with its exact cost.
 */
const h = useHarness();

type Ctor = new (...args: unknown[]) => Record<string, (...args: unknown[]) => unknown>;

/** A graph `research` → `act`; `act` runs a tool that itself calls the model. */
function graph(c: LangGraphCopy, name: string | undefined) {
  const { Annotation, StateGraph, START, END } = c.lg as Record<string, never> & {
    Annotation: ((o?: object) => unknown) & { Root(o: object): unknown };
    StateGraph: Ctor;
  };
  const tool = (
    c.tools.tool as (fn: unknown, o: object) => { invoke(i: object): Promise<unknown> }
  )(
    async ({ city }: { city: string }) => {
      const r = await h.openai().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `Weather in ${city}` }],
      });
      return r.choices[0].message.content;
    },
    { name: 'lookup_weather', description: 'Weather', schema: z.object({ city: z.string() }) },
  );
  const State = Annotation.Root({ n: Annotation() });
  const ask = async () => {
    await h.openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Plan' }],
    });
    return { n: 1 };
  };
  const act = async () => {
    await tool.invoke({ city: 'Paris' });
    return { n: 2 };
  };
  const builder = new StateGraph(State);
  builder.addNode('research', ask);
  builder.addNode('act', act);
  builder.addEdge(START, 'research');
  builder.addEdge('research', 'act');
  builder.addEdge('act', END);
  return builder.compile(name ? { name } : {}) as unknown as {
    invoke(i: object, c?: object): Promise<unknown>;
    stream(i: object, c?: object): Promise<AsyncIterable<unknown>>;
  };
}

function serve(): void {
  h.replay.respond('POST', '/v1/chat/completions', () => completion(30, 7));
  h.replay.respond('POST', '/v1/chat/completions', () => completion(20, 5));
}

async function settled(): Promise<ReadableSpan[]> {
  await new Promise((r) => setTimeout(r, 20));
  return h.tracing.spans();
}

describe.each(COPIES)('LangGraph $major.x', (c) => {
  it('a named graph: one run, the graph is the agent, the tool and thread are on the calls', async () => {
    serve();
    await graph(c, 'planner').invoke({}, { configurable: { thread_id: 't-1' } });
    const spans = await settled();
    const calls = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(calls.map((s) => s.attributes['gen_ai.agent.name'])).toEqual(['planner', 'planner']);
    expect(calls.map((s) => s.attributes['gen_ai.tool.name'])).toEqual([
      undefined,
      'lookup_weather',
    ]);
    expect(calls.map((s) => s.attributes['gen_ai.conversation.id'])).toEqual(['t-1', 't-1']);
    expect(calls.map((s) => s.attributes['burnrate.run.step'])).toEqual([1, 2]);
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(runs).toHaveLength(1);
    expect(runs[0].name).toBe('invoke_agent planner');
    expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(cost(30, 7) + cost(20, 5), 12);
  });

  it('an unnamed graph: the nodes name the agents; stream ends the run when read out', async () => {
    serve();
    const stream = await graph(c, undefined).stream({}, { configurable: { thread_id: 't-2' } });
    for await (const _ of stream) {
      // read to the end
    }
    const spans = await settled();
    const calls = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(calls.map((s) => s.attributes['gen_ai.agent.name'])).toEqual(['research', 'act']);
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(runs.map((s) => s.name)).toEqual(['invoke_agent LangGraph']);
    expect(runs[0].attributes['burnrate.run.calls']).toBe(2);
  });
});

describe('LangGraph 1.x, other ways to run a graph', () => {
  it('streamEvents: one run that lasts until the events are read out', async () => {
    serve();
    const g = graph(COPIES[0], 'planner') as unknown as {
      streamEvents(i: object, c: object): AsyncIterable<unknown>;
    };
    let events = 0;
    for await (const _ of g.streamEvents(
      {},
      { version: 'v2', configurable: { thread_id: 't-4' } },
    )) {
      events++;
    }
    expect(events).toBeGreaterThan(0);
    const spans = await settled();
    const calls = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(calls.map((s) => s.attributes['burnrate.run.step'])).toEqual([1, 2]);
    expect(calls.map((s) => s.attributes['gen_ai.tool.name'])).toEqual([
      undefined,
      'lookup_weather',
    ]);
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(runs.map((s) => s.attributes['burnrate.run.calls'])).toEqual([2]);
  });

  it('a named graph run as a node of another: its calls are its own agent, in one run', async () => {
    serve();
    const { Annotation, StateGraph, START, END } = COPIES[0].lg as Record<string, never> & {
      Annotation: ((o?: object) => unknown) & { Root(o: object): unknown };
      StateGraph: Ctor;
    };
    const inner = graph(COPIES[0], 'research_agent');
    const outer = new StateGraph(Annotation.Root({ n: Annotation() }));
    outer.addNode('researcher', inner);
    outer.addEdge(START, 'researcher');
    outer.addEdge('researcher', END);
    await (outer.compile({ name: 'supervisor' }) as { invoke(i: object): Promise<unknown> }).invoke(
      {},
    );
    const spans = await settled();
    const calls = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(calls.map((s) => s.attributes['gen_ai.agent.name'])).toEqual([
      'researcher',
      'researcher',
    ]);
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(runs.map((s) => s.name)).toEqual(['invoke_agent supervisor']);
    expect(runs[0].attributes['burnrate.run.calls']).toBe(2);
  });

  it('concurrent runs stay apart', async () => {
    for (let i = 0; i < 2; i++) serve();
    await Promise.all([
      graph(COPIES[0], 'a').invoke({}, { configurable: { thread_id: 'ta' } }),
      graph(COPIES[0], 'b').invoke({}, { configurable: { thread_id: 'tb' } }),
    ]);
    const spans = await settled();
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(runs.map((s) => s.name).sort()).toEqual(['invoke_agent a', 'invoke_agent b']);
    for (const run of runs) {
      const agent = run.attributes['gen_ai.agent.name'];
      const calls = spans.filter(
        (s) =>
          s.attributes['gen_ai.operation.name'] === 'chat' &&
          s.attributes['burnrate.run.id'] === run.attributes['burnrate.run.id'],
      );
      expect(calls).toHaveLength(2);
      for (const s of calls) {
        expect(s.attributes['gen_ai.agent.name']).toBe(agent);
        expect(s.attributes['gen_ai.conversation.id']).toBe(`t${agent}`);
      }
    }
  });
});

describe('disabled', () => {
  it('leaves graphs, nodes and tools alone (the calls are still priced)', async () => {
    serve();
    h.instrumentation.disable();
    try {
      await graph(COPIES[0], 'planner').invoke({}, { configurable: { thread_id: 't-5' } });
    } finally {
      h.instrumentation.enable();
    }
    const spans = await settled();
    expect(spans.map((s) => s.attributes['gen_ai.operation.name'])).toEqual(['chat', 'chat']);
    for (const s of spans) {
      expect(s.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
      expect(s.attributes['gen_ai.agent.name']).toBeUndefined();
      expect(s.attributes['gen_ai.tool.name']).toBeUndefined();
    }
  });
});

describe('fails open', () => {
  it('ignores what is not LangChain, and a graph it cannot read still runs', async () => {
    for (const name of [
      '@langchain/langgraph',
      '@langchain/core/tools',
      '@langchain/core/singletons',
    ]) {
      for (const junk of [undefined, null, 1, {}, { CompiledStateGraph: 5, StructuredTool: {} }]) {
        expect(() => h.instrumentation.patchExports(name, junk)).not.toThrow();
      }
    }
    serve();
    const g = graph(COPIES[0], 'planner');
    Object.defineProperty(g, 'name', {
      get() {
        throw new Error('unreadable');
      },
    });
    await expect(g.invoke({}, { configurable: { thread_id: 't-3' } })).resolves.toBeDefined();
    expect(
      (await settled()).filter((s) => s.attributes['gen_ai.operation.name'] === 'chat'),
    ).toHaveLength(2);
  });
});
