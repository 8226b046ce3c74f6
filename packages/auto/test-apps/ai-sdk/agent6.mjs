// The agent loop on ai 6 (no telemetry turned on: Burnrate's step spans).
import '@burnrate/auto';
import { createOpenAI } from 'ai-sdk-openai-v3';
import * as ai from 'ai-v6';
import { agentLoop } from './agent-calls.mjs';

console.log(JSON.stringify(await agentLoop(ai, createOpenAI, process.argv[2])));
