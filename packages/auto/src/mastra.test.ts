import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * A Mastra agent (`@mastra/core`, its model through `@ai-sdk/openai`) whose tool calls the OpenAI
 * SDK. Mastra's own model calls go from its agent loop straight to the AI SDK provider
 * (`doGenerate` / `doStream`: no `ai` call, no client SDK): each is one priced span all the same.
 * `agent.generate` / `agent.stream` are one agent run named after the agent, with the thread as
 * the conversation; the tool's call is a step of it, and carries the tool's name.
 */
const apps = appsDir('mastra');
const h = useAppHarness();

let seq = 0;
function completion(input: number, output: number, message: object, finish = 'stop') {
  return exchange('POST', 'http://replay/v1/chat/completions', {
    id: `chatcmpl-m${++seq}`,
    object: 'chat.completion',
    created: 1755182716,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  });
}
const toolCall = {
  content: null,
  tool_calls: [
    {
      id: 'call_1',
      type: 'function',
      function: { name: 'lookup_weather', arguments: '{"city":"Paris"}' },
    },
  ],
};

const cost = (i: number, o: number) => (i * 0.15 + o * 0.6) / 1e6; // gpt-4o-mini
/** The agent asks for the tool (50/10), the tool's own OpenAI SDK call (20/5), the answer (80/12). */
const TURN = [
  [50, 10],
  [20, 5],
  [80, 12],
] as const;
const streams = (req: { json?: unknown }) => (req.json as { stream?: boolean }).stream === true;

describe('Mastra (@mastra/core) with only the framework and its provider declared', () => {
  it.each([
    ['generate', 'thread-mastra', { generate: { text: 'Sunny' } }],
    ['stream', 'thread-mastra-stream', { stream: { chunks: true } }],
  ])(
    'agent.%s: every model call one priced span, steps of one run named after the agent',
    async (scenario, thread, output) => {
      // Mastra's loop asks the provider for a stream or not, as it likes: both are served.
      h.replay.respond('POST', '/v1/chat/completions', (req) =>
        streams(req)
          ? streamed({ tool: true }, 50, 10)
          : completion(50, 10, toolCall, 'tool_calls'),
      );
      h.replay.respond('POST', '/v1/chat/completions', () =>
        completion(20, 5, { content: 'Sunny' }),
      );
      h.replay.respond('POST', '/v1/chat/completions', (req) =>
        streams(req)
          ? streamed({ text: 'Sunny' }, 80, 12)
          : completion(80, 12, { content: 'Sunny' }),
      );
      const service = `mastra-${scenario}`;
      expect(await h.runJson(apps, ['mastra.mjs', scenario], service)).toEqual(output);
      const spans = await h.spansOf(service, 4);
      expect(spans).toHaveLength(4);
      const chats = spans
        .filter((s) => s.attributes['gen_ai.operation.name'] === 'chat')
        .sort(
          (a, b) =>
            Number(a.attributes['burnrate.run.step']) - Number(b.attributes['burnrate.run.step']),
        );
      expect(chats).toHaveLength(3);
      const runId = chats[0].attributes['burnrate.run.id'];
      chats.forEach((s, i) => {
        const [input, output] = TURN[i];
        expect(s.attributes['gen_ai.provider.name']).toBe('openai');
        expect(s.attributes['gen_ai.usage.input_tokens']).toBe(input);
        expect(s.attributes['gen_ai.usage.output_tokens']).toBe(output);
        expect(s.attributes['burnrate.cost.usd']).toBeCloseTo(cost(input, output), 12);
        expect(s.attributes['gen_ai.agent.name']).toBe('Weather Agent');
        expect(s.attributes['gen_ai.conversation.id']).toBe(thread);
        expect(s.attributes['burnrate.run.id']).toBe(runId);
        expect(s.attributes['burnrate.run.step']).toBe(i + 1);
        // Only the call made inside the tool's execute carries the tool.
        expect(s.attributes['gen_ai.tool.name']).toBe(i === 1 ? 'lookup_weather' : undefined);
      });
      const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
      expect(runs).toHaveLength(1);
      expect(runs[0].name).toBe('invoke_agent Weather Agent');
      expect(runs[0].attributes['burnrate.run.id']).toBe(runId);
      expect(runs[0].attributes['burnrate.run.calls']).toBe(3);
      expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(
        TURN.reduce((sum, [i, o]) => sum + cost(i, o), 0),
        12,
      );
    },
  );
});

describe('the breaker inside a Mastra agent loop', () => {
  it('a loop that would run forever stops at the limit; generate() rejects with BudgetExceededError', async () => {
    // The agent's model always asks for the tool again; the tool's own call answers.
    let n = 0;
    const serve = (req: { json?: unknown }) => {
      const messages = (req.json as { messages?: { content?: unknown }[] }).messages ?? [];
      const last = String(messages.at(-1)?.content ?? '');
      n++;
      return last.startsWith('Summarize')
        ? completion(20, 5, { content: 'Sunny' })
        : completion(
            40,
            10,
            { ...toolCall, tool_calls: [{ ...toolCall.tool_calls[0], id: `call_${n}` }] },
            'tool_calls',
          );
    };
    for (let i = 0; i < 12; i++) h.replay.respond('POST', '/v1/chat/completions', serve);
    const service = 'mastra-loop';
    expect(
      await h.runJson(apps, ['mastra.mjs', 'loop'], service, { BURNRATE_BREAKER_MAX_CALLS: '4' }),
    ).toEqual({
      loop: { error: 'BudgetExceededError', kind: 'steps' },
    });
    // Four calls sent (two of the agent's, two of its tool's), the fifth refused before sending.
    expect(n).toBe(4);
    const spans = await h.spansOf(service, 6);
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.filter((s) => s.attributes['burnrate.cost.usd'] !== undefined)).toHaveLength(4);
    const refused = chats.filter((s) => s.attributes['burnrate.breaker.kind'] === 'steps');
    expect(refused).toHaveLength(1);
    expect(refused[0].attributes['gen_ai.agent.name']).toBe('Looping Agent');
    expect(refused[0].attributes['burnrate.breaker.limit']).toBe(4);
    const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(runs.map((s) => s.attributes['burnrate.run.calls'])).toEqual([4]);
    expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(
      2 * cost(40, 10) + 2 * cost(20, 5),
      12,
    );
  });
});

/** A chat completions stream: a tool call or text, then its usage. */
function streamed(part: { tool?: boolean; text?: string }, input: number, output: number) {
  const base = {
    id: `chatcmpl-m${++seq}`,
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
  };
  const delta = part.tool
    ? { role: 'assistant', tool_calls: [{ index: 0, ...toolCall.tool_calls[0] }] }
    : { role: 'assistant', content: part.text };
  const events = [
    { ...base, choices: [{ index: 0, delta, finish_reason: null }] },
    {
      ...base,
      choices: [{ index: 0, delta: {}, finish_reason: part.tool ? 'tool_calls' : 'stop' }],
    },
    {
      ...base,
      choices: [],
      usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
    },
  ];
  const body = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
  return exchange('POST', 'http://replay/v1/chat/completions', body, {
    contentType: 'text/event-stream',
  });
}
