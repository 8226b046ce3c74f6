/**
 * Cost of the one-import path on an ai 7 agent loop (generateText with one tool: two model calls,
 * one tool execution), with Burnrate's processors on in both columns: the app passing
 * `@ai-sdk/otel` per call (no Burnrate hook runs), against the stand-in Burnrate registers
 * globally (the same `@ai-sdk/otel` behind it, plus the call scope, the agent run, the tool scope
 * and the gate check on every provider call). Measured on 2026-12-06, most of the difference is
 * the stand-in itself (the same with the agent hooks switched off): the AI SDK reads every hook of
 * a global integration through its proxy at each call. The model answers from an in-process `fetch`.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import { enableAiSdkTelemetry } from '../src/index.ts';

const usage = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };
const answer = (message: object, finish: string) =>
  new Response(
    JSON.stringify({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message, finish_reason: finish }],
      usage,
    }),
    { headers: { 'content-type': 'application/json' } },
  );
const toolCall = {
  role: 'assistant',
  content: null,
  tool_calls: [{ id: 't1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
};

const openai = createOpenAI({
  apiKey: 'k',
  fetch: async (_url, init) =>
    String(init?.body).includes('"role":"tool"')
      ? answer({ role: 'assistant', content: 'done' }, 'stop')
      : answer(toolCall, 'tool_calls'),
});
const lookup = tool({
  description: 'Looks something up',
  inputSchema: jsonSchema({ type: 'object', properties: {} }),
  execute: async () => 'found',
});
const loop = (telemetry: object) =>
  generateText({
    model: openai.chat('gpt-4o-mini'),
    prompt: 'hi',
    tools: { lookup },
    stopWhen: stepCountIs(3),
    telemetry,
  });

const perCall = { functionId: 'agent', integrations: [new OpenTelemetry()] };
/** The app's own integration per call (plain), or Burnrate's global stand-in (hooked). */
export const agentLoopCases = {
  plain: () => loop(perCall),
  hooked: () => loop({ functionId: 'agent' }),
};

export function enableStandIn(): void {
  enableAiSdkTelemetry();
}
