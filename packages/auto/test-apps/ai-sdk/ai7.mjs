import '@burnrate/auto';
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import * as ai from 'ai';
import { aiCalls, PROMPT } from './calls.mjs';

const result = await aiCalls(ai, createOpenAI);
// Later the app registers its own integration: it is then in charge, and no call is traced twice.
ai.registerTelemetry(new OpenTelemetry());
const openai = createOpenAI({ apiKey: 'test-key', baseURL: process.env.OPENAI_BASE_URL });
await ai.generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT });
console.log(JSON.stringify(result));
