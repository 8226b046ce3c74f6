/**
 * Overhead of the LangChain/LangGraph hooks per graph run: a three-node graph (two nodes each run
 * a tool, LangChain's context switch around every node and tool) with no model behind it, so the
 * framework's own work is all there is to compare with, instrumentation off and on. On: the run is
 * an agent run, each node and tool enters its scope. Run:
 * node --conditions=@burnrate/source packages/instrumentation-langchain/bench/run.ts
 * Not a test: numbers depend on the machine.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { benchFrameworkHooks } from '@burnrate/test-utils';
import { LangChainInstrumentation } from '../src/index.ts';

// The current majors, from the repository root (this package's own node_modules hold 0.x).
const require = createRequire(fileURLToPath(new URL('../../../package.json', import.meta.url)));
const lg = require('@langchain/langgraph');
const tools = require('@langchain/core/tools');
const singletons = require('@langchain/core/singletons');
const { z } = require('zod');

const instrumentation = new LangChainInstrumentation();
instrumentation.patchExports('@langchain/langgraph', lg);
instrumentation.patchExports('@langchain/core/tools', tools);
instrumentation.patchExports('@langchain/core/singletons', singletons);

const lookup = tools.tool(async ({ id }: { id: string }) => `invoice ${id}`, {
  name: 'lookup',
  description: 'Looks up an invoice',
  schema: z.object({ id: z.string() }),
});
const State = lg.Annotation.Root({
  notes: lg.Annotation({ reducer: (a: string[], b: string[]) => a.concat(b), default: () => [] }),
});
const node = (id: string) => async () => ({ notes: [String(await lookup.invoke({ id }))] });
const graph = new lg.StateGraph(State)
  .addNode('plan', async () => ({ notes: ['plan'] }))
  .addNode('fetch', node('1'))
  .addNode('answer', node('2'))
  .addEdge(lg.START, 'plan')
  .addEdge('plan', 'fetch')
  .addEdge('fetch', 'answer')
  .addEdge('answer', lg.END)
  .compile({ name: 'billing' });

// One event-loop turn after each run, as I/O gives an app: nothing here leaves the microtask
// queue, and a run's end (core finalizes it a turn later) would pile up unmeasured.
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const oneRun = async () => {
  const out = await graph.invoke({}, { configurable: { thread_id: 't' } });
  await turn();
  return out;
};

await benchFrameworkHooks(
  'LangGraph run (3 nodes, 2 tool calls, no model)',
  'graph.invoke()',
  oneRun,
  instrumentation,
);
