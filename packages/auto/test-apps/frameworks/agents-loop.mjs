// `node agents-loop.mjs`: an OpenAI Agents SDK agent whose model asks for the same tool call again
// and again. The breaker (configured by BURNRATE_BREAKER_* only: no code) must stop it; prints
// what run() threw and how many times the tool ran.
import '@burnrate/auto';
import { Agent, run, tool } from '@openai/agents';
import { print } from './calls.mjs';

let lookups = 0;
const lookup = tool({
  name: 'lookup_invoice',
  description: 'Looks up an invoice',
  parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
  strict: true,
  execute: async () => {
    lookups++;
    return 'invoice 42: 3 seats';
  },
});
const agent = new Agent({
  name: 'Looper',
  instructions: 'Find the invoice.',
  model: 'gpt-4o-mini',
  tools: [lookup],
});
try {
  const result = await run(agent, 'Why is my invoice so high?', { maxTurns: 100 });
  print({ outcome: 'finished', output: String(result.finalOutput), lookups });
} catch (error) {
  print({
    outcome: 'threw',
    name: error?.name,
    kind: error?.kind,
    agent: error?.agent,
    message: String(error?.message),
    lookups,
  });
}
