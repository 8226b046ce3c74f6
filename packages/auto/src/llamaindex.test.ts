import path from 'node:path';
import { exchange, type ReceivedSpan, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * LlamaIndex.TS agents (`llamaindex` 0.12, `@llamaindex/workflow`, `@llamaindex/openai`) in an
 * app whose package.json lists only LlamaIndex packages: `openai` 5.x arrives nested under
 * `@llamaindex/openai` and is imported lazily. Every model call is one exactly priced span,
 * carrying the agent, the tool whose execution made it and its step in the run; each workflow
 * run ends in one `invoke_agent` span with the run's exact cost. The app lives in
 * packages/instrumentation-llamaindex, whose node_modules holds that openai 5 (no other app sees it).
 */
const apps = path.resolve(appsDir(), '../../instrumentation-llamaindex/test-apps');
const h = useAppHarness();

const MINI_IN = 0.15 / 1e6; // gpt-4o-mini: $0.15 / M input, $0.60 / M output
const MINI_OUT = 0.6 / 1e6;
const cost = (i: number, o: number) => i * MINI_IN + o * MINI_OUT;

let seq = 0;
const usage = (input: number, output: number) => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
});
const chunk = (extra: object) => ({
  id: `chatcmpl-${seq}`,
  object: 'chat.completion.chunk',
  created: 1755182716,
  model: 'gpt-4o-mini',
  ...extra,
});
/** A streamed chat completion (what a FunctionAgent step asks for), with its usage chunk. */
function streamed(input: number, output: number, delta: object, finish: string) {
  seq++;
  const events = [
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', ...delta }, finish_reason: null }] }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: finish }] }),
    chunk({ choices: [], usage: usage(input, output) }),
  ];
  return exchange('POST', 'http://replay/v1/chat/completions', sseBody(events), {
    contentType: 'text/event-stream',
  });
}
const callTool = (input: number, output: number, name: string, args: object) =>
  streamed(
    input,
    output,
    {
      content: null,
      tool_calls: [
        {
          index: 0,
          id: `call_${seq + 1}`,
          type: 'function',
          function: { name, arguments: JSON.stringify(args) },
        },
      ],
    },
    'tool_calls',
  );
const answer = (input: number, output: number) =>
  streamed(input, output, { content: 'Sunny' }, 'stop');
/** A plain completion (the tool's own `llm.complete`). */
const completion = (input: number, output: number) =>
  exchange('POST', 'http://replay/v1/chat/completions', {
    id: `chatcmpl-${++seq}`,
    object: 'chat.completion',
    created: 1755182716,
    model: 'gpt-4o-mini',
    choices: [
      { index: 0, message: { role: 'assistant', content: 'Sunny, 21C' }, finish_reason: 'stop' },
    ],
    usage: usage(input, output),
  });

type Call = readonly [input: number, output: number, agent: string, tool: string | undefined];
/** The weather agent's turn: asks for the tool (50/10), the tool's own call (20/5), answers (80/12). */
const WEATHER: Call[] = [
  [50, 10, 'weather_agent', undefined],
  [20, 5, 'weather_agent', 'lookup_weather'],
  [80, 12, 'weather_agent', undefined],
];
function serveWeather(): void {
  h.replay.respond('POST', '/v1/chat/completions', () =>
    callTool(50, 10, 'lookup_weather', { city: 'Paris' }),
  );
  h.replay.respond('POST', '/v1/chat/completions', () => completion(20, 5));
  h.replay.respond('POST', '/v1/chat/completions', () => answer(80, 12));
}

const chats = (spans: ReceivedSpan[]) =>
  spans
    .filter((s) => s.attributes['gen_ai.operation.name'] === 'chat')
    .sort(
      (a, b) =>
        Number(a.attributes['burnrate.run.step']) - Number(b.attributes['burnrate.run.step']),
    );
const runs = (spans: ReceivedSpan[]) =>
  spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');

/** One run: its calls exactly priced and attributed, steps 1..n, one invoke_agent span. */
function expectRun(spans: ReceivedSpan[], expected: Call[], runAgent: string): void {
  const calls = chats(spans);
  expect(calls).toHaveLength(expected.length);
  const runId = calls[0].attributes['burnrate.run.id'];
  expect(typeof runId).toBe('string');
  calls.forEach((s, i) => {
    const [input, output, agent, tool] = expected[i];
    expect(s.attributes['gen_ai.provider.name']).toBe('openai');
    expect(s.attributes['gen_ai.usage.input_tokens']).toBe(input);
    expect(s.attributes['gen_ai.usage.output_tokens']).toBe(output);
    expect(s.attributes['burnrate.cost.source']).toBe('usage');
    expect(s.attributes['burnrate.cost.usd']).toBeCloseTo(cost(input, output), 12);
    expect(s.attributes['gen_ai.agent.name']).toBe(agent);
    expect(s.attributes['gen_ai.tool.name']).toBe(tool);
    expect(s.attributes['burnrate.run.id']).toBe(runId);
    expect(s.attributes['burnrate.run.step']).toBe(i + 1);
  });
  const [run, ...extra] = runs(spans);
  expect(extra).toHaveLength(0);
  expect(run.name).toBe(`invoke_agent ${runAgent}`);
  expect(run.attributes['gen_ai.agent.name']).toBe(runAgent);
  expect(run.attributes['burnrate.run.id']).toBe(runId);
  expect(run.attributes['burnrate.run.calls']).toBe(expected.length);
  expect(run.attributes['burnrate.run.cost_usd']).toBeCloseTo(
    expected.reduce((sum, [i, o]) => sum + cost(i, o), 0),
    12,
  );
  expect(run.attributes['burnrate.cost.usd']).toBeUndefined();
}

describe('LlamaIndex.TS agents with only LlamaIndex packages declared', () => {
  it.each([
    ['ESM', '', ['llamaindex.mjs', 'run']],
    ['CommonJS', '', ['llamaindex.cjs']],
    [
      'ESM, node --import @burnrate/auto',
      '',
      ['--import', '@burnrate/auto', 'llamaindex.mjs', 'run'],
    ],
    ['ESM, only llamaindex and @llamaindex/openai declared', 'undeclared', ['app.mjs']],
  ])('%s: agent().run() is one run of three priced calls', async (_n, dir, args) => {
    serveWeather();
    const service = `llamaindex-${dir}${args.join('-')}`;
    const result = await h.runJson(path.join(apps, dir), args, service);
    expect(result).toEqual({ run: { result: 'Sunny' } });
    // The SDK that made the calls: @llamaindex/openai's own openai 5.
    expect(h.replay.requests.at(-1)?.headers['user-agent']).toMatch(/^OpenAI\/JS 5\./);
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    expectRun(spans, WEATHER, 'weather_agent');
  });

  it('runStream(): the run lasts until the stream is read to the end', async () => {
    serveWeather();
    const service = 'llamaindex-stream';
    expect(await h.runJson(apps, ['llamaindex.mjs', 'stream'], service)).toEqual({
      stream: { toolCalls: 1 },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    expectRun(spans, WEATHER, 'weather_agent');
  });

  it('multiAgent: each agent names its own calls across the handoff; the run is the root agent', async () => {
    h.replay.respond('POST', '/v1/chat/completions', () =>
      callTool(30, 8, 'handOff', { toAgent: 'weather_agent', reason: 'weather' }),
    );
    serveWeather();
    const service = 'llamaindex-multi';
    expect(await h.runJson(apps, ['llamaindex.mjs', 'multi'], service)).toEqual({
      multi: { result: 'Sunny' },
    });
    const spans = await h.spansOf(service, 5);
    expect(spans).toHaveLength(5);
    expectRun(spans, [[30, 8, 'triage', undefined], ...WEATHER], 'triage');
  });

  it('the older ReActAgent: chat() is one run named after it; the tool names its call', async () => {
    const text = (content: string, input: number, output: number) =>
      exchange('POST', 'http://replay/v1/chat/completions', {
        id: `chatcmpl-${++seq}`,
        object: 'chat.completion',
        created: 1755182716,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: usage(input, output),
      });
    const action =
      'Thought: I need to use a tool.\nAction: lookup_weather\nAction Input: {"city": "Paris"}';
    h.replay.respond('POST', '/v1/chat/completions', () => text(action, 50, 10));
    h.replay.respond('POST', '/v1/chat/completions', () => completion(20, 5));
    h.replay.respond('POST', '/v1/chat/completions', () =>
      text('Thought: I can answer without using any more tools.\nAnswer: Sunny', 80, 12),
    );
    const service = 'llamaindex-react';
    expect(await h.runJson(apps, ['llamaindex.mjs', 'react'], service)).toEqual({
      react: { result: 'Sunny' },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    const react = WEATHER.map(([i, o, , tool]) => [i, o, 'ReActAgent', tool] as const);
    expectRun(spans, react, 'ReActAgent');
  });

  it('withBudget({ agent }) around the run wins over the agent names', async () => {
    serveWeather();
    const service = 'llamaindex-budget';
    expect(await h.runJson(apps, ['llamaindex.mjs', 'budget'], service)).toEqual({
      budget: { result: 'Sunny' },
    });
    const spans = await h.spansOf(service, 4);
    expect(spans).toHaveLength(4);
    const explicit = WEATHER.map(([i, o, , tool]) => [i, o, 'explicit_agent', tool] as const);
    expectRun(spans, explicit, 'explicit_agent');
  });
});
