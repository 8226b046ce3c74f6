import '@burnrate/auto';
import { createOpenAI } from 'ai-sdk-openai-v3';
import * as ai from 'ai-v6';
import { aiCalls, PROMPT } from './calls.mjs';

const result = await aiCalls(ai, createOpenAI);
// Calls that turn the AI SDK's own telemetry on: its spans are priced, and only they.
const openai = createOpenAI({ apiKey: 'test-key', baseURL: process.env.OPENAI_BASE_URL });
const experimental_telemetry = { isEnabled: true, recordInputs: false, recordOutputs: false };
await ai.generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT, experimental_telemetry });
const stream = ai.streamText({
  model: openai.chat('gpt-4o-mini'),
  prompt: PROMPT,
  experimental_telemetry,
});
for await (const _ of stream.textStream);
await stream.usage;
console.log(JSON.stringify(result));
