// A CommonJS app that loads the framework's ES module with import().
require('@burnrate/auto');

Promise.all([import('@langchain/openai'), import('./calls.mjs')]).then(
  async ([langchain, { langchainCalls, print }]) => print(await langchainCalls(langchain)),
);
