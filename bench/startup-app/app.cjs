// The same minimal service as app.mjs, as CommonJS (peers without an ESM hook patch only this).
const { OpenAI } = require('openai');

new OpenAI({ apiKey: 'k' });
