import { exchange, type ReceivedSpan, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * The OpenAI Agents SDK as a user installs it (the app's package.json lists the frameworks, not
 * `openai`), with the one import: a multi-agent flow (Triage hands off to Billing, which asks the
 * Summarizer agent through the `summarize` tool) is one agent run of four exactly priced calls,
 * each carrying the agent that made it and, inside the tool, the tool's name.
 */
const apps = appsDir('frameworks');
const h = useAppHarness();

const MODEL = 'gpt-4o-mini';
const usage = (input: number, output: number) => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: input + output,
});
const message = (text: string) => ({
  type: 'message',
  id: `msg_${text.length}`,
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const functionCall = (name: string, args: object) => ({
  type: 'function_call',
  id: `fc_${name}`,
  call_id: `call_${name}`,
  name,
  arguments: JSON.stringify(args),
  status: 'completed',
});
const response = (n: number, output: object[], tokens: [number, number]) => ({
  id: `resp_${n}`,
  object: 'response',
  created_at: 1755182716,
  status: 'completed',
  model: MODEL,
  output,
  usage: usage(...tokens),
});

/** The four model calls of the flow, in order, with their tokens. */
const TURNS: [string, object[], [number, number]][] = [
  ['Triage', [functionCall('transfer_to_Billing', {})], [100, 10]],
  ['Billing', [functionCall('summarize', { input: 'invoice 42' })], [200, 20]],
  ['Summarizer', [message('Three seats, one upgrade.')], [300, 30]],
  ['Billing', [message('You added seats.')], [400, 40]],
];
const cost = ([input, output]: [number, number]) => (input * 0.15 + output * 0.6) / 1e6;
const RUN_COST = TURNS.reduce((sum, [, , t]) => sum + cost(t), 0);

/** The flow's responses, in order; streamed when the request asks (an agent tool runs unstreamed). */
function replayFlow(): void {
  TURNS.forEach(([, output, tokens], i) => {
    h.replay.respond('POST', '/v1/responses', (req) => {
      const body = response(i + 1, output, tokens);
      if ((req.json as { stream?: boolean }).stream !== true)
        return exchange('POST', 'http://replay/v1/responses', body);
      const events = [
        {
          type: 'response.created',
          sequence_number: 0,
          response: { ...body, status: 'in_progress', output: [], usage: null },
        },
        { type: 'response.completed', sequence_number: 1, response: body },
      ];
      return exchange('POST', 'http://replay/v1/responses', sseBody(events, false), {
        contentType: 'text/event-stream',
      });
    });
  });
}

function checkFlow(spans: ReceivedSpan[], runAgent: string, agents: string[]): void {
  const calls = spans
    .filter((s) => s.attributes['burnrate.cost.usd'] !== undefined)
    .sort(
      (a, b) =>
        Number(a.attributes['burnrate.run.step']) - Number(b.attributes['burnrate.run.step']),
    );
  const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
  expect(calls).toHaveLength(4);
  expect(runs).toHaveLength(1);
  const runId = runs[0].attributes['burnrate.run.id'];
  expect(typeof runId).toBe('string');
  calls.forEach((s, i) => {
    const a = s.attributes;
    expect(a['burnrate.run.step']).toBe(i + 1);
    expect(a['burnrate.run.id']).toBe(runId);
    expect(a['gen_ai.agent.name']).toBe(agents[i]);
    expect(a['gen_ai.usage.input_tokens']).toBe(TURNS[i][2][0]);
    expect(a['gen_ai.usage.output_tokens']).toBe(TURNS[i][2][1]);
    expect(a['burnrate.cost.usd']).toBeCloseTo(cost(TURNS[i][2]), 12);
    // Only the Summarizer's call runs inside a tool.
    expect(a['gen_ai.tool.name']).toBe(i === 2 ? 'summarize' : undefined);
  });
  const r = runs[0];
  expect(r.name).toBe(`invoke_agent ${runAgent}`);
  expect(r.attributes['gen_ai.agent.name']).toBe(runAgent);
  expect(r.attributes['burnrate.run.calls']).toBe(4);
  expect(r.attributes['burnrate.run.cost_usd']).toBeCloseTo(RUN_COST, 12);
  expect(r.attributes['burnrate.run.input_tokens']).toBe(1000);
  expect(r.attributes['burnrate.run.output_tokens']).toBe(100);
  expect(r.attributes['burnrate.cost.usd']).toBeUndefined();
  expect(spans).toHaveLength(5);
}

const FLOW = ['Triage', 'Billing', 'Summarizer', 'Billing'];

describe('OpenAI Agents SDK: agent, tool and run of every call, with only the framework declared', () => {
  it.each([
    ['ESM', ['agents-flow.mjs']],
    ['CommonJS, require()', ['agents-flow.cjs']],
    ['ESM, node --import @burnrate/auto', ['--import', '@burnrate/auto', 'agents-flow.mjs']],
  ])(
    '%s: a handoff changes the agent; the tool call carries the tool; one run',
    async (_n, args) => {
      replayFlow();
      const service = `agents-flow-${args.join('-')}`;
      expect(await h.runJson(apps, args, service)).toEqual({
        output: 'You added seats.',
        lastAgent: 'Billing',
      });
      checkFlow(await h.spansOf(service, 5), 'Triage', FLOW);
    },
  );

  it('a streamed run is one run that ends when the stream completes', async () => {
    replayFlow();
    const service = 'agents-flow-stream';
    expect(await h.runJson(apps, ['agents-flow.mjs', 'stream'], service)).toEqual({
      output: 'You added seats.',
      lastAgent: 'Billing',
    });
    checkFlow(await h.spansOf(service, 5), 'Triage', FLOW);
  });

  it('withBudget({agent}) around the run wins over the framework', async () => {
    replayFlow();
    const service = 'agents-flow-budget';
    expect(await h.runJson(apps, ['agents-flow.mjs', 'budget'], service)).toEqual({
      output: 'You added seats.',
      lastAgent: 'Billing',
    });
    checkFlow(
      await h.spansOf(service, 5),
      'support-desk',
      FLOW.map(() => 'support-desk'),
    );
  });
});
