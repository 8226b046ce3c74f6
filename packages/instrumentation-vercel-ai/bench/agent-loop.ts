/**
 * Cost of the one-import path on an ai 7 agent loop (generateText with one tool: two model calls,
 * one tool execution), with Burnrate's processors on: no telemetry at all (the AI SDK's telemetry
 * off), the app passing `@ai-sdk/otel` per call (no Burnrate hook runs; its defaults: prompts and
 * outputs recorded), and the stand-in Burnrate registers globally (the same `@ai-sdk/otel` behind
 * it, prompts and outputs off, plus the call scope, the agent run, the tool scope and the gate
 * check on every provider call). The app's integration makes six spans (`invoke_agent`, two steps,
 * two `chat`, `execute_tool`); the stand-in the same six, each `chat` with the run id, step and
 * agent, and the run's own `invoke_agent` span. The model answers from an in-process `fetch`.
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

// Made at the first call, once the bench has registered its tracer provider: `@ai-sdk/otel`
// brings its own copy of `@opentelemetry/api`, whose tracer made before that registration stays
// a no-op for good (the plain column then made no span at all).
let perCall: object | undefined;
/** No telemetry, the app's own integration per call (plain), or Burnrate's stand-in (hooked). */
export const agentLoopCases = {
  none: () => loop({ isEnabled: false }),
  plain: () => {
    perCall ??= { functionId: 'agent', integrations: [new OpenTelemetry()] };
    return loop(perCall);
  },
  hooked: () => loop({ functionId: 'agent' }),
};

export function enableStandIn(): void {
  enableAiSdkTelemetry();
}
