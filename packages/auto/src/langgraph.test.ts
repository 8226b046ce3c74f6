import { exchange, type ReceivedSpan } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * LangGraph agents in an app whose package.json lists only LangChain/LangGraph packages: every
 * model call is one exactly priced span, carrying the agent (graph or node name), the tool whose
 * execution made it, the thread, and its step in the run; each top-level graph run ends in one
 * `invoke_agent` span with the run's exact cost.
 */
const apps = appsDir('langgraph');
const h = useAppHarness();

const MINI_IN = 0.15 / 1e6;
const MINI_OUT = 0.6 / 1e6;
const cost = (i: number, o: number) => i * MINI_IN + o * MINI_OUT;

let seq = 0;
function completion(input: number, output: number, message: object) {
  return exchange('POST', 'http://replay/v1/chat/completions', {
    id: `chatcmpl-${++seq}`,
    object: 'chat.completion',
    created: 1755182716,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  });
}
const toolCall = (input: number, output: number) =>
  completion(input, output, {
    content: null,
    tool_calls: [
      {
        id: `call_${seq + 1}`,
        type: 'function',
        function: { name: 'lookup_weather', arguments: '{"city":"Paris"}' },
      },
    ],
  });
const answer = (input: number, output: number, content = 'Sunny') =>
  completion(input, output, { content });

/** The ReAct turn: model asks for the tool (50/10), the tool's own call (20/5), answer (80/12). */
const REACT = [
  [50, 10],
  [20, 5],
  [80, 12],
] as const;
function serveReact(): void {
  h.replay.respond('POST', '/v1/chat/completions', () => toolCall(50, 10));
  h.replay.respond('POST', '/v1/chat/completions', () => answer(20, 5));
  h.replay.respond('POST', '/v1/chat/completions', () => answer(80, 12));
}

const chatsOf = (spans: ReceivedSpan[], thread: string) =>
  spans
    .filter((s) => s.attributes['gen_ai.operation.name'] === 'chat')
    .filter((s) => s.attributes['gen_ai.conversation.id'] === thread)
    .sort(
      (a, b) =>
        Number(a.attributes['burnrate.run.step']) - Number(b.attributes['burnrate.run.step']),
    );
const runOf = (spans: ReceivedSpan[], id: unknown) =>
  spans.filter(
    (s) =>
      s.attributes['gen_ai.operation.name'] === 'invoke_agent' &&
      s.attributes['burnrate.run.id'] === id,
  );

/** The three calls of a ReAct turn: exact tokens and cost, agent, tool, thread, steps 1..3. */
function expectReactRun(
  spans: ReceivedSpan[],
  thread: string,
  agent: string,
  runThread: string | null = thread,
): void {
  const chats = chatsOf(spans, thread);
  expect(chats).toHaveLength(3);
  const runId = chats[0].attributes['burnrate.run.id'];
  expect(typeof runId).toBe('string');
  chats.forEach((s, i) => {
    const [input, output] = REACT[i];
    expect(s.attributes['gen_ai.usage.input_tokens']).toBe(input);
    expect(s.attributes['gen_ai.usage.output_tokens']).toBe(output);
    expect(s.attributes['burnrate.cost.usd']).toBeCloseTo(cost(input, output), 12);
    expect(s.attributes['gen_ai.agent.name']).toBe(agent);
    expect(s.attributes['burnrate.run.id']).toBe(runId);
    expect(s.attributes['burnrate.run.step']).toBe(i + 1);
  });
  expect(chats.map((s) => s.attributes['gen_ai.tool.name'])).toEqual([
    undefined,
    'lookup_weather',
    undefined,
  ]);
  const runs = runOf(spans, runId);
  expect(runs).toHaveLength(1);
  expect(runs[0].name).toBe(`invoke_agent ${agent}`);
  expect(runs[0].attributes['gen_ai.agent.name']).toBe(agent);
  expect(runs[0].attributes['gen_ai.conversation.id']).toBe(runThread ?? undefined);
  expect(runs[0].attributes['burnrate.run.calls']).toBe(3);
  expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(
    REACT.reduce((sum, [i, o]) => sum + cost(i, o), 0),
    12,
  );
  expect(runs[0].attributes['burnrate.cost.usd']).toBeUndefined();
}

describe('LangGraph (@langchain/langgraph) with only the frameworks declared', () => {
  it.each([
    ['ESM', ['langgraph.mjs', 'invoke']],
    ['CommonJS', ['langgraph.cjs']],
    [
      'ESM, node --import @burnrate/auto',
      ['--import', '@burnrate/auto', 'langgraph.mjs', 'invoke'],
    ],
  ])('%s: a ReAct agent invoke is one run of three priced calls', async (_n, args) => {
    serveReact();
    const service = `langgraph-${args.join('-')}`;
    expect(await h.runJson(apps, args, service)).toEqual({ invoke: { messages: 4 } });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    expectReactRun(spans, 'thread-invoke', 'weather_agent');
  });

  it("LangChain 1's createAgent (langchain): one run of three priced calls", async () => {
    serveReact();
    const service = 'langgraph-create-agent';
    expect(await h.runJson(apps, ['langgraph.mjs', 'createAgent'], service)).toEqual({
      createAgent: { messages: 4 },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    expectReactRun(spans, 'thread-create-agent', 'support_agent');
  });

  it('stream: the run lasts until the stream is read to the end', async () => {
    serveReact();
    const service = 'langgraph-stream';
    expect(await h.runJson(apps, ['langgraph.mjs', 'stream'], service)).toEqual({
      stream: { chunks: 3 },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    expectReactRun(spans, 'thread-stream', 'weather_agent');
  });

  it('an unnamed graph: each node names the agent of its calls; the run is LangGraph', async () => {
    h.replay.respond('POST', '/v1/chat/completions', () => answer(30, 7, 'facts'));
    h.replay.respond('POST', '/v1/chat/completions', () => answer(40, 9, 'text'));
    const service = 'langgraph-custom';
    expect(await h.runJson(apps, ['langgraph.mjs', 'custom'], service)).toEqual({
      custom: { notes: 2 },
    });
    const spans = await h.spansOf(service, 3);
    expect(spans).toHaveLength(3);
    const chats = chatsOf(spans, 'thread-custom');
    expect(chats.map((s) => s.attributes['gen_ai.agent.name'])).toEqual(['researcher', 'writer']);
    expect(chats.map((s) => s.attributes['burnrate.run.step'])).toEqual([1, 2]);
    const runs = runOf(spans, chats[0].attributes['burnrate.run.id']);
    expect(runs).toHaveLength(1);
    expect(runs[0].name).toBe('invoke_agent LangGraph');
    expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(cost(30, 7) + cost(40, 9), 12);
  });

  it('withBudget({ agent }) around the graph wins over the graph name', async () => {
    serveReact();
    const service = 'langgraph-budget';
    expect(await h.runJson(apps, ['langgraph.mjs', 'budget'], service)).toEqual({
      budget: { messages: 4 },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    // The run is withBudget's (it started before the graph knew its thread); the graph joined it.
    expectReactRun(spans, 'thread-budget', 'explicit_agent', null);
  });

  it('a ReAct agent on Claude (@langchain/anthropic and its own @anthropic-ai/sdk)', async () => {
    const HAIKU = (i: number, o: number) => (i * 1 + o * 5) / 1e6; // claude-haiku-4-5: $1 / $5 per M
    const message = (input: number, output: number, content: object[], stop: string) =>
      exchange('POST', 'http://replay/v1/messages', {
        id: `msg_${++seq}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5-20251001',
        content,
        stop_reason: stop,
        usage: { input_tokens: input, output_tokens: output },
      });
    const use = {
      type: 'tool_use',
      id: 'toolu_1',
      name: 'lookup_weather',
      input: { city: 'Paris' },
    };
    h.replay.respond('POST', '/v1/messages', () => message(60, 11, [use], 'tool_use'));
    h.replay.respond('POST', '/v1/messages', () =>
      message(25, 6, [{ type: 'text', text: 'Sunny' }], 'end_turn'),
    );
    h.replay.respond('POST', '/v1/messages', () =>
      message(90, 14, [{ type: 'text', text: 'It is sunny' }], 'end_turn'),
    );
    const service = 'langgraph-claude';
    expect(await h.runJson(apps, ['langgraph.mjs', 'claude'], service)).toEqual({
      claude: { messages: 4 },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    const chats = chatsOf(spans, 'thread-claude');
    const expected = [
      [60, 11, undefined],
      [25, 6, 'lookup_weather'],
      [90, 14, undefined],
    ] as const;
    expect(chats).toHaveLength(3);
    chats.forEach((s, i) => {
      const [input, output, tool] = expected[i];
      expect(s.attributes['gen_ai.provider.name']).toBe('anthropic');
      expect(s.attributes['gen_ai.usage.input_tokens']).toBe(input);
      expect(s.attributes['gen_ai.usage.output_tokens']).toBe(output);
      expect(s.attributes['burnrate.cost.usd']).toBeCloseTo(HAIKU(input, output), 12);
      expect(s.attributes['gen_ai.agent.name']).toBe('claude_agent');
      expect(s.attributes['gen_ai.tool.name']).toBe(tool);
      expect(s.attributes['burnrate.run.step']).toBe(i + 1);
    });
    const runs = runOf(spans, chats[0].attributes['burnrate.run.id']);
    expect(runs).toHaveLength(1);
    expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(
      expected.reduce((sum, [i, o]) => sum + HAIKU(i, o), 0),
      12,
    );
  });
});
