// A CommonJS app that loads the Agents SDK's ES module with import().
require('@burnrate/auto');

Promise.all([import('@openai/agents'), import('./calls.mjs')]).then(
  async ([agents, { agentsRun, print }]) => print(await agentsRun(agents)),
);
