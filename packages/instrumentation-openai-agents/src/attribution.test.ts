import {
  type AgentFacts,
  currentAgentFacts,
  currentAgentRun,
  withAttribution,
} from '@burnrate/core';
import * as core from '@openai/agents-core';
import {
  assistantMessage,
  functionCall,
  modelResponder,
  ScriptedModel,
} from '@openai/agents-core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIAgentsInstrumentation } from './index.ts';

/**
 * What a model (and a tool) sees of Burnrate's scope while the Agents SDK runs it, with the SDK's
 * tracing on, globally off (`OPENAI_AGENTS_DISABLE_TRACING`), and off for the runner.
 */
interface Seen {
  facts: AgentFacts;
  run: string | undefined;
  runAgent: string | undefined;
}
const seen = (): Seen => ({
  facts: currentAgentFacts(),
  run: currentAgentRun()?.id,
  runAgent: currentAgentRun()?.agent,
});

beforeAll(() => {
  core.setTraceProcessors([]);
  new OpenAIAgentsInstrumentation().patchExports('@openai/agents-core', core);
});
afterEach(() => core.setTracingDisabled(false));

function flow(log: Seen[]) {
  const usage = new core.Usage({ requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 });
  const step = (output: object[]) =>
    modelResponder(() => {
      log.push(seen());
      return { output, usage, responseId: `r${log.length}` } as never;
    });
  const model = new ScriptedModel([
    step([functionCall('transfer_to_Billing', {}, { callId: 'c1' })]),
    step([functionCall('lookup', {}, { callId: 'c2' })]),
    step([assistantMessage('done')]),
  ]);
  const lookup = core.tool({
    name: 'lookup',
    description: 'Looks up an invoice',
    parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
    strict: true,
    execute: async () => {
      log.push(seen());
      return 'invoice 42';
    },
  });
  const billing = new core.Agent({ name: 'Billing', model, tools: [lookup] });
  const triage = new core.Agent({ name: 'Triage', model, handoffs: [core.handoff(billing)] });
  return triage;
}

const EXPECTED = [
  { agent: 'Triage' },
  { agent: 'Billing' },
  { agent: 'Billing', tool: 'lookup' },
  { agent: 'Billing' },
];

describe('OpenAIAgentsInstrumentation', () => {
  it.each([
    ['tracing on', () => new core.Runner()],
    [
      'tracing off globally',
      () => {
        core.setTracingDisabled(true);
        return new core.Runner();
      },
    ],
    ['tracing off for the runner', () => new core.Runner({ tracingDisabled: true })],
  ])('%s: each call carries the agent running it, the tool, and one run', async (_n, runner) => {
    const log: Seen[] = [];
    const result = await runner().run(flow(log), 'hi', { conversationId: 'conv_1' });
    expect(result.finalOutput).toBe('done');
    expect(log.map((s) => s.facts.agent)).toEqual(EXPECTED.map((e) => e.agent));
    expect(log.map((s) => s.facts.tool)).toEqual(EXPECTED.map((e) => e.tool));
    expect(new Set(log.map((s) => s.run)).size).toBe(1);
    expect(log[0].run).toEqual(expect.any(String));
    expect(log.every((s) => s.runAgent === 'Triage')).toBe(true);
    expect(log.every((s) => s.facts.conversation === 'conv_1')).toBe(true);
    expect(currentAgentRun()).toBeUndefined();
  });

  it('run() with a streamed result, and the agent from explicit attribution wins', async () => {
    const log: Seen[] = [];
    await withAttribution({ agent: 'desk' }, async () => {
      const result = await core.run(flow(log), 'hi', { stream: true });
      await result.completed;
    });
    expect(log.map((s) => s.facts.agent)).toEqual(EXPECTED.map(() => 'desk'));
    expect(log[2].facts.tool).toBe('lookup');
    expect(log.every((s) => s.runAgent === 'desk')).toBe(true);
  });

  it('a streamed run stays one run until the stream completes', async () => {
    const log: Seen[] = [];
    const result = await core.run(flow(log), 'hi', { stream: true });
    for await (const _ of result) {
      // drain
    }
    await result.completed;
    expect(log.map((s) => s.facts.agent)).toEqual(EXPECTED.map((e) => e.agent));
    expect(new Set(log.map((s) => s.run)).size).toBe(1);
  });
});
