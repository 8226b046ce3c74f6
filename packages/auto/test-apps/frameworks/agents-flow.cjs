// The multi-agent flow from a CommonJS app that require()s the Agents SDK.
require('@burnrate/auto');
const agents = require('@openai/agents');

import('./agents-flow-calls.mjs').then(async ({ runFlow }) => {
  const result = await runFlow(agents);
  console.log(JSON.stringify(result));
});
