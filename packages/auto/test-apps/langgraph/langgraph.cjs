require('@burnrate/auto');
const tools = require('@langchain/core/tools');
const lg = require('@langchain/langgraph');
const prebuilt = require('@langchain/langgraph/prebuilt');
const openai = require('@langchain/openai');

(async () => {
  const { reactInvoke, print } = await import('./calls.mjs');
  print({ invoke: await reactInvoke({ lg, prebuilt, tools }, openai) });
})();
