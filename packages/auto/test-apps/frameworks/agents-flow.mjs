// `node agents-flow.mjs [stream|budget]`: the multi-agent flow, plain, streamed, or inside withBudget.
import '@burnrate/auto';
import * as agents from '@openai/agents';
import { runFlow } from './agents-flow-calls.mjs';
import { print } from './calls.mjs';

const mode = process.argv[2];
if (mode === 'budget') {
  const { withBudget } = await import('@burnrate/budget');
  print(await withBudget({ agent: 'support-desk', maxUsd: 1 }, () => runFlow(agents)));
} else {
  print(await runFlow(agents, mode));
}
