const { withAttribution } = require('@burnrate/auto');
const OpenAI = require('openai');

import('./calls.mjs').then(({ makeCalls }) => makeCalls(OpenAI, withAttribution));
