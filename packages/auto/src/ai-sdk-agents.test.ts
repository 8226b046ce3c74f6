import { exchange, type ReceivedSpan, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * An AI SDK agent loop (test-apps/ai-sdk/agent-calls.mjs: generateText with a `lookup` tool whose
 * execution makes its own model call) with the one import: one agent run, each model call one
 * exactly priced span with its agent (functionId / metadata.agent) and, inside the tool, the tool.
 */
const apps = appsDir('ai-sdk');
const h = useAppHarness();

const base = { object: 'chat.completion', created: 1763906400, model: 'gpt-4o-mini' };
const usage = ([input, output]: [number, number]) => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
});
const toolCall = {
  role: 'assistant',
  content: null,
  tool_calls: [
    { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } },
  ],
};
/** The calls in the order they are made: the loop's first step, the tool's call, the last step. */
const CALLS: { message: object; finish: string; tokens: [number, number] }[] = [
  { message: toolCall, finish: 'tool_calls', tokens: [100, 10] },
  { message: { role: 'assistant', content: 'Mild.' }, finish: 'stop', tokens: [300, 30] },
  { message: { role: 'assistant', content: 'Mild in Paris.' }, finish: 'stop', tokens: [200, 20] },
];
const cost = ([input, output]: [number, number]) => (input * 0.15 + output * 0.6) / 1e6;
const RUN_COST = CALLS.reduce((sum, c) => sum + cost(c.tokens), 0);

function streamOf(c: (typeof CALLS)[number], id: string): string {
  const chunk = (extra: object) => ({ id, ...base, object: 'chat.completion.chunk', ...extra });
  const m = c.message as { content?: string | null; tool_calls?: object[] };
  const delta = m.tool_calls
    ? { role: 'assistant', tool_calls: m.tool_calls.map((t, index) => ({ index, ...t })) }
    : { role: 'assistant', content: m.content };
  return sseBody([
    chunk({ choices: [{ index: 0, delta }] }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: c.finish }] }),
    chunk({ choices: [], usage: usage(c.tokens) }),
  ]);
}

function replayLoop(): void {
  CALLS.forEach((c, i) => {
    h.replay.respond('POST', '/v1/chat/completions', (req) => {
      const id = `chatcmpl-${i}`;
      if ((req.json as { stream?: boolean }).stream === true) {
        return exchange('POST', 'http://replay/v1/chat/completions', streamOf(c, id), {
          contentType: 'text/event-stream',
        });
      }
      return exchange('POST', 'http://replay/v1/chat/completions', {
        id,
        ...base,
        choices: [{ index: 0, message: c.message, finish_reason: c.finish }],
        usage: usage(c.tokens),
      });
    });
  });
}

/** The service's spans once its run span (or, with `priced`, that many priced spans) arrived. */
async function spansOf(service: string, priced?: number): Promise<ReceivedSpan[]> {
  const mine = (s: ReceivedSpan) => s.resource['service.name'] === service;
  if (priced) {
    await h.receiver.waitForSpans(
      priced,
      (s) => mine(s) && s.attributes['burnrate.cost.usd'] !== undefined,
    );
  } else {
    await h.receiver.waitForSpans(
      1,
      (s) => mine(s) && s.attributes['burnrate.run.cost_usd'] !== undefined,
    );
  }
  await new Promise((r) => setTimeout(r, 300));
  return h.receiver.spans.filter(mine);
}

function checkLoop(spans: ReceivedSpan[], runAgent: string, agents: string[]): void {
  const calls = spans
    .filter((s) => s.attributes['burnrate.cost.usd'] !== undefined)
    .sort(
      (a, b) =>
        Number(a.attributes['burnrate.run.step']) - Number(b.attributes['burnrate.run.step']),
    );
  const runs = spans.filter((s) => s.attributes['burnrate.run.cost_usd'] !== undefined);
  expect(calls).toHaveLength(3);
  expect(runs).toHaveLength(1);
  const runId = runs[0].attributes['burnrate.run.id'];
  calls.forEach((s, i) => {
    const a = s.attributes;
    expect(a['burnrate.run.step']).toBe(i + 1);
    expect(a['burnrate.run.id']).toBe(runId);
    expect(a['gen_ai.agent.name']).toBe(agents[i]);
    expect(a['gen_ai.usage.input_tokens']).toBe(CALLS[i].tokens[0]);
    expect(a['gen_ai.usage.output_tokens']).toBe(CALLS[i].tokens[1]);
    expect(a['burnrate.cost.usd']).toBeCloseTo(cost(CALLS[i].tokens), 12);
    expect(a['gen_ai.tool.name']).toBe(i === 1 ? 'lookup' : undefined);
  });
  const r = runs[0];
  expect(r.name).toBe(`invoke_agent ${runAgent}`);
  expect(r.attributes['gen_ai.agent.name']).toBe(runAgent);
  expect(r.attributes['burnrate.run.calls']).toBe(3);
  expect(r.attributes['burnrate.run.cost_usd']).toBeCloseTo(RUN_COST, 12);
  expect(r.attributes['burnrate.cost.usd']).toBeUndefined();
}

const LOOP = ['weather-agent', 'summarizer', 'weather-agent'];
const RESULT = { text: 'Mild in Paris.', steps: 2 };

describe('an AI SDK agent loop with the one import', () => {
  it.each([
    ['generateText', ['agent7.mjs']],
    ['ToolLoopAgent', ['agent7.mjs', 'agent-class']],
    ['streamText', ['agent7.mjs', 'stream']],
  ])('ai 7 %s: one run, the agent and the tool of each call', async (_n, args) => {
    replayLoop();
    const service = `ai-agent-${args.join('-')}`;
    expect(await h.runJson(apps, args, service)).toEqual(RESULT);
    checkLoop(await spansOf(service), 'weather-agent', LOOP);
  });

  it.each([
    ['generateText', ['agent6.mjs']],
    ['streamText', ['agent6.mjs', 'stream']],
  ])('ai 6 %s: one run, the agent and the tool of each call', async (_n, args) => {
    replayLoop();
    const service = `ai-agent-${args.join('-')}`;
    expect(await h.runJson(apps, args, service)).toEqual(RESULT);
    const spans = await spansOf(service);
    const calls = spans.filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
    const runs = spans.filter((s) => s.attributes['burnrate.run.cost_usd'] !== undefined);
    expect(calls).toHaveLength(3);
    expect(runs).toHaveLength(1);
    const runId = runs[0].attributes['burnrate.run.id'];
    // ai 6 reports a step when it is done, tools included: steps count in that order.
    expect(calls.map((s) => s.attributes['burnrate.run.step']).sort()).toEqual([1, 2, 3]);
    const byTokens = (i: number) =>
      calls.find((s) => s.attributes['gen_ai.usage.input_tokens'] === CALLS[i].tokens[0]);
    LOOP.forEach((agent, i) => {
      const a = byTokens(i)?.attributes ?? {};
      expect(a['gen_ai.agent.name']).toBe(agent);
      expect(a['burnrate.cost.usd']).toBeCloseTo(cost(CALLS[i].tokens), 12);
      expect(a['burnrate.run.id']).toBe(runId);
      expect(a['gen_ai.tool.name']).toBe(i === 1 ? 'lookup' : undefined);
    });
    expect(runs[0].name).toBe('invoke_agent weather-agent');
    expect(runs[0].attributes['burnrate.run.calls']).toBe(3);
    expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(RUN_COST, 12);
    expect(runs[0].attributes['burnrate.cost.usd']).toBeUndefined();
  });

  it('ai 7: withBudget({agent}) around the loop wins', async () => {
    replayLoop();
    const service = 'ai-agent-budget';
    expect(await h.runJson(apps, ['agent7.mjs', 'budget'], service)).toEqual(RESULT);
    checkLoop(
      await spansOf(service),
      'support-desk',
      LOOP.map(() => 'support-desk'),
    );
  });

  it('ai 7: a budget gate refuses the call through generateText, with no request sent', async () => {
    const service = 'ai-agent-refused';
    const before = h.replay.requests.length;
    expect(await h.runJson(apps, ['agent7.mjs', 'refused'], service)).toEqual({
      error: 'BudgetExceededError',
      kind: expect.any(String),
    });
    expect(h.replay.requests.length).toBe(before);
  });
});
