import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai-v6';
import { MockLanguageModelV3, simulateReadableStream } from 'ai-v6/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { enableAiSdkTelemetry } from './index.ts';
import { eventually, useHarness } from './test-setup.ts';

/**
 * ai 6 calls with no telemetry code, in process: each call's events reach its own call, an agent
 * loop (tools) is one run, an ai 6 call made inside one of its tools is a step of it with the
 * tool's name; loops running at once stay apart, and the app's objects are never changed.
 */
const h = useHarness();
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(() => enableAiSdkTelemetry({ resolveFrom: [] }));

type Answer = { tool?: boolean; input: number; output: number } | Error;

/** A priced model (openai gpt-4o-mini) that gives these answers in turn. */
function model(answers: Answer[]) {
  let n = 0;
  return new MockLanguageModelV3({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    doGenerate: async () => {
      const a = answers[n++];
      if (a instanceof Error) throw a;
      return {
        content: a.tool
          ? [{ type: 'tool-call', toolCallId: `c${n}`, toolName: 'lookup', input: '{}' }]
          : [{ type: 'text', text: 'Mild' }],
        finishReason: a.tool
          ? { unified: 'tool-calls', raw: 'tool_calls' }
          : { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: a.input, noCache: a.input, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: a.output, text: a.output, reasoning: 0 },
        },
        warnings: [],
      };
    },
  });
}

const usage = (input: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
});

/** A streaming model: a tool call (input 600), then text (602). */
function streaming() {
  const steps = [
    [
      { type: 'tool-call', toolCallId: 's1', toolName: 'lookup', input: '{}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: usage(600),
      },
    ],
    [
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'Mild' },
      { type: 'text-end', id: 't' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(602) },
    ],
  ];
  let n = 0;
  return new MockLanguageModelV3({
    provider: 'openai.chat',
    modelId: 'gpt-4o-mini',
    doStream: async () => ({ stream: simulateReadableStream({ chunks: steps[n++] as never[] }) }),
  });
}

const named = (agent: string) => ({
  experimental_telemetry: { isEnabled: false, metadata: { agent } },
});

/** A loop whose `lookup` tool makes its own ai 6 call (`sum-<agent>`); tokens from `base`. */
function loop(agent: string, base: number, answers?: Answer[], options: object = {}) {
  const execute = async () => {
    const r = await generateText({
      model: model([{ input: base + 1, output: 1 }]),
      prompt: 'Summarize',
      maxRetries: 0,
      ...named(`sum-${agent}`),
    });
    return r.text;
  };
  const tools = {
    lookup: tool({ inputSchema: jsonSchema({ type: 'object', properties: {} }), execute }),
  };
  const call = generateText({
    model: model(
      answers ?? [
        { tool: true, input: base, output: 1 },
        { input: base + 2, output: 1 },
      ],
    ),
    tools,
    prompt: 'Weather?',
    stopWhen: stepCountIs(3),
    maxRetries: 0,
    ...named(agent),
    ...options,
  });
  return { call, tools, execute };
}

const priced = () => h.spans().filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
const runs = () => h.spans().filter((s) => s.attributes['burnrate.run.cost_usd'] !== undefined);
const byInput = (input: number) =>
  priced().find((s) => s.attributes['gen_ai.usage.input_tokens'] === input) as ReadableSpan;

describe('ai 6 agent loops (no telemetry turned on)', () => {
  it('loops running at once: each its own run; the tool call of each in its run, with the tool', async () => {
    await Promise.all([loop('alpha', 100).call, loop('beta', 200).call]);
    await eventually(() => runs().length === 2);
    expect(
      runs()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['invoke_agent alpha', 'invoke_agent beta']);
    for (const [agent, base] of [
      ['alpha', 100],
      ['beta', 200],
    ] as const) {
      const run = runs().find((s) => s.attributes['gen_ai.agent.name'] === agent);
      expect(run?.attributes['burnrate.run.calls']).toBe(3);
      const [first, inTool, last] = [base, base + 1, base + 2].map(byInput);
      for (const s of [first, inTool, last]) {
        expect(s.attributes['burnrate.run.id']).toBe(run?.attributes['burnrate.run.id']);
      }
      expect(inTool.attributes['gen_ai.agent.name']).toBe(`sum-${agent}`);
      expect(inTool.attributes['gen_ai.tool.name']).toBe('lookup');
      expect(first.attributes['gen_ai.tool.name']).toBeUndefined();
      expect(last.attributes['gen_ai.tool.name']).toBeUndefined();
      expect(last.attributes['gen_ai.agent.name']).toBe(agent);
    }
  });

  it('a call made after the loop is in no run and no tool; the app objects are untouched', async () => {
    const { call, tools, execute } = loop('gamma', 300);
    const before = { ...tools.lookup };
    await call;
    await generateText({ model: model([{ input: 399, output: 1 }]), prompt: 'Hi', maxRetries: 0 });
    await eventually(() => runs().length === 1 && priced().length === 4);
    const after = byInput(399).attributes;
    expect(after['burnrate.run.id']).toBeUndefined();
    expect(after['gen_ai.tool.name']).toBeUndefined();
    expect(tools.lookup.execute).toBe(execute);
    expect(tools.lookup).toEqual(before);
    expect(Object.keys(tools)).toEqual(['lookup']);
  });

  it('a loop that fails ends its run when ai lets go of the call: a run span with its calls', async () => {
    const { call } = loop('delta', 400, [{ tool: true, input: 400, output: 1 }, new Error('down')]);
    await expect(call).rejects.toThrow('down');
    for (let i = 0; i < 50 && runs().length === 0; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(runs().map((s) => s.attributes['burnrate.run.calls'])).toEqual([2]);
  });

  it('with its own onToolCallStart callback (awaited first), the tool call is left out, never misplaced', async () => {
    const { call } = loop('eps', 500, undefined, { experimental_onToolCallStart: async () => {} });
    await call;
    await eventually(() => runs().length === 1 && priced().length === 3);
    expect(runs()[0].attributes['burnrate.run.calls']).toBe(2);
    const inTool = byInput(501).attributes;
    expect(inTool['burnrate.run.id']).toBeUndefined();
    expect(inTool['gen_ai.tool.name']).toBeUndefined();
    expect(inTool['gen_ai.agent.name']).toBe('sum-eps');
  });

  it("streamText: the tool call is in the run; the reader's own calls, during and after, are not", async () => {
    const plain = (input: number) =>
      generateText({ model: model([{ input, output: 1 }]), prompt: 'Hi', maxRetries: 0 });
    const execute = async () => (await plain(601)).text;
    const lookup = tool({ inputSchema: jsonSchema({ type: 'object', properties: {} }), execute });
    const result = streamText({
      model: streaming(),
      tools: { lookup },
      prompt: 'Weather?',
      stopWhen: stepCountIs(3),
      ...named('zeta'),
    });
    let during = false;
    for await (const part of result.fullStream) {
      if (part.type === 'tool-call' && !during) during = Boolean(await plain(603));
    }
    await plain(604);
    await eventually(() => runs().length === 1 && priced().length === 5);
    const runId = runs()[0].attributes['burnrate.run.id'];
    expect(runs()[0].attributes['burnrate.run.calls']).toBe(3);
    expect(byInput(601).attributes['gen_ai.tool.name']).toBe('lookup');
    for (const input of [600, 601, 602]) {
      expect(byInput(input).attributes['burnrate.run.id']).toBe(runId);
    }
    for (const input of [603, 604]) {
      expect(byInput(input).attributes['burnrate.run.id']).toBeUndefined();
      expect(byInput(input).attributes['gen_ai.tool.name']).toBeUndefined();
    }
  });
});
