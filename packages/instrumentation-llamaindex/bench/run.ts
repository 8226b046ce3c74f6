/**
 * Overhead of the LlamaIndex.TS hooks per agent run: an `agent()` workflow whose model is a
 * stand-in (it asks for one tool call, then answers), so the framework's own work is all there is
 * to compare with, instrumentation off and on. On: the run is an agent run, each step enters the
 * agent's scope, the tool its own. Run:
 * node --conditions=@burnrate/source packages/instrumentation-llamaindex/bench/run.ts
 * Not a test: numbers depend on the machine.
 */
import { createRequire } from 'node:module';
import { benchFrameworkHooks } from '@burnrate/test-utils';
import { LlamaIndexInstrumentation } from '../src/index.ts';

// This package's own copies (its node_modules), as its tests use them.
const require = createRequire(import.meta.url);
const workflow = require('@llamaindex/workflow');
const tools = require('@llamaindex/core/tools');
const agents = require('@llamaindex/core/agent');
const { z } = require('zod');

const instrumentation = new LlamaIndexInstrumentation();
instrumentation.patchExports('@llamaindex/workflow', workflow);
instrumentation.patchExports('@llamaindex/core/tools', tools);
instrumentation.patchExports('@llamaindex/core/agent', agents);

interface Message {
  options?: { toolResult?: unknown };
}
/** A tool-calling model stand-in: a tool call first, the answer once the tool's result is in. */
const llm = {
  supportToolCall: true,
  metadata: { model: 'stand-in', contextWindow: 128_000 },
  async chat({ messages }: { messages: Message[] }) {
    const answered = messages.some((m) => m.options?.toolResult);
    return (async function* () {
      yield answered
        ? { delta: 'paid', raw: null }
        : {
            delta: '',
            raw: null,
            options: { toolCall: [{ id: 'call_1', name: 'lookup', input: { id: '1' } }] },
          };
    })();
  },
};
const lookup = tools.tool({
  name: 'lookup',
  description: 'Looks up an invoice',
  parameters: z.object({ id: z.string() }),
  execute: async ({ id }: { id: string }) => `invoice ${id}`,
});
const billing = workflow.agent({ name: 'billing', llm, tools: [lookup] });

// One event-loop turn after each run, as I/O gives an app: the stand-in model never leaves the
// microtask queue, and a run's end (core finalizes it a turn later) would pile up unmeasured.
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const oneRun = async () => {
  const out = await billing.run('Is invoice 1 paid?');
  await turn();
  return out;
};
const first = await oneRun();
if (first.data.result !== 'paid') throw new Error(`the stand-in run did not finish: ${first}`);

await benchFrameworkHooks(
  'LlamaIndex agent().run() (2 steps, 1 tool call, no model)',
  'agent.run()',
  oneRun,
  instrumentation,
);
