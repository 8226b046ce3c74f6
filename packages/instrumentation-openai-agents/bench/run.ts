/**
 * Overhead of the Agents SDK hooks per run: a three-call run (a handoff, a function tool) on a
 * scripted model (no network, so the SDK's own work is all there is to compare with), with the
 * instrumentation off and on. On: the run is an agent run, each model call and tool call runs in
 * its agent's scope. Tracing off (`OPENAI_AGENTS_DISABLE_TRACING`), as in most deployments.
 * Run: node --conditions=@burnrate/source packages/instrumentation-openai-agents/bench/run.ts
 * Not a test: numbers depend on the machine.
 */
import { benchFrameworkHooks } from '@burnrate/test-utils';
import * as core from '@openai/agents-core';
import {
  assistantMessage,
  functionCall,
  modelResponder,
  ScriptedModel,
} from '@openai/agents-core/testing';
import { OpenAIAgentsInstrumentation } from '../src/index.ts';

core.setTracingDisabled(true);
const instrumentation = new OpenAIAgentsInstrumentation();
instrumentation.patchExports('@openai/agents-core', core);

const usage = () =>
  new core.Usage({ requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 });
const step = (output: object[]) =>
  modelResponder(() => ({ output, usage: usage(), responseId: 'r' }) as never);
const lookup = core.tool({
  name: 'lookup',
  description: 'Looks up an invoice',
  parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
  strict: true,
  execute: async () => 'invoice 42',
});

async function oneRun(): Promise<unknown> {
  const model = new ScriptedModel([
    step([functionCall('transfer_to_Billing', {}, { callId: 'c1' })]),
    step([functionCall('lookup', {}, { callId: 'c2' })]),
    step([assistantMessage('done')]),
  ]);
  const billing = new core.Agent({ name: 'Billing', model, tools: [lookup] });
  const triage = new core.Agent({ name: 'Triage', model, handoffs: [core.handoff(billing)] });
  return core.run(triage, 'hi');
}

await benchFrameworkHooks(
  'Agents SDK run (3 model calls, handoff, tool)',
  'run()',
  oneRun,
  instrumentation,
);
