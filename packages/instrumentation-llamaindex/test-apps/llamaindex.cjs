require('@burnrate/auto');
const openai = require('@llamaindex/openai');
const workflow = require('@llamaindex/workflow');
const llamaindex = require('llamaindex');

(async () => {
  const { print, scenarios } = await import('./calls.mjs');
  print({ run: await scenarios({ workflow, llamaindex, openai }).run() });
})();
