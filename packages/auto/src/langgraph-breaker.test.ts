import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * A LangGraph ReAct agent that would loop forever (the replay always answers with the same tool
 * call) stops at the breaker's limit (`@burnrate/budget`, configured by env, no code change), and
 * LangGraph surfaces the BudgetExceededError to the caller of `invoke`.
 */
const apps = appsDir('langgraph');
const h = useAppHarness();

/**
 * The model asks for the same tool call again and again, with fresh response and tool-call ids as
 * a real model gives (LangGraph keys messages by id): the request's newest turn repeats exactly
 * but for those ids.
 */
let seq = 0;
const sameToolCall = () =>
  exchange('POST', 'http://replay/v1/chat/completions', {
    id: `chatcmpl-loop-${++seq}`,
    object: 'chat.completion',
    created: 1755182716,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${seq}`,
              type: 'function',
              function: { name: 'lookup_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
  });

const runLoop = async (service: string, breaker: Record<string, string>) =>
  (await h.runJson(apps, ['langgraph.mjs', 'loop'], service, breaker)).loop;

const CALL = (40 * 0.15 + 10 * 0.6) / 1e6; // gpt-4o-mini

describe('the breaker inside a LangGraph agent loop', () => {
  it.each([
    // The first request differs (the user's question); then the same tail repeats: 3 allowed.
    ['loop', { BURNRATE_BREAKER_MAX_REPEATS: '3' }, 4, 3, 4],
    ['steps', { BURNRATE_BREAKER_MAX_CALLS: '6' }, 6, 6, 7],
  ])(
    '%s: the run stops at the limit and invoke() rejects with BudgetExceededError',
    async (kind, env, sent, limit, value) => {
      for (let i = 0; i < 40; i++) h.replay.respond('POST', '/v1/chat/completions', sameToolCall);
      const sentBefore = h.replay.requests.filter((r) => r.path === '/v1/chat/completions').length;
      const service = `langgraph-breaker-${kind}`;
      const result = await runLoop(service, env);
      expect(result).toMatchObject({ error: 'BudgetExceededError', kind });
      // `sent` priced calls, the refused one, and the run.
      const spans = await h.spansOf(service, sent + 2);
      const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
      const priced = chats.filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
      expect(priced).toHaveLength(sent);
      for (const s of priced) {
        expect(s.attributes['burnrate.cost.usd']).toBeCloseTo(CALL, 12);
        expect(s.attributes['gen_ai.agent.name']).toBe('looping_agent');
      }
      expect(
        priced.map((s) => s.attributes['burnrate.run.step']).sort((a, b) => Number(a) - Number(b)),
      ).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
      const refused = chats.filter((s) => s.attributes['burnrate.breaker.kind'] !== undefined);
      expect(refused).toHaveLength(1);
      expect(refused[0].attributes['burnrate.breaker.kind']).toBe(kind);
      expect(refused[0].attributes['burnrate.breaker.mode']).toBe('enforce');
      expect(refused[0].attributes['burnrate.breaker.limit']).toBe(limit);
      expect(refused[0].attributes['burnrate.breaker.value']).toBe(value);
      expect(refused[0].attributes['gen_ai.agent.name']).toBe('looping_agent');
      const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
      expect(runs).toHaveLength(1);
      expect(runs[0].attributes['burnrate.run.calls']).toBe(sent);
      expect(runs[0].attributes['burnrate.run.cost_usd']).toBeCloseTo(sent * CALL, 12);
      // Nothing was sent after the refusal.
      const requests = h.replay.requests.filter((r) => r.path === '/v1/chat/completions');
      expect(requests).toHaveLength(sentBefore + sent);
    },
  );
});
