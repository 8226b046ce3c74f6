// No Burnrate import: started with `node --require @burnrate/auto`.
const OpenAI = require('openai');

import('./calls.mjs').then(({ makeCalls }) => makeCalls(OpenAI));
