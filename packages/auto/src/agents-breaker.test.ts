import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * A runaway OpenAI Agents SDK agent (its model asks for the same tool call forever, up to 100
 * turns), with the one import and the breaker set by environment only: the next call is refused
 * before it leaves, the Agents SDK's run() rejects with the BudgetExceededError, and the spans say
 * what tripped.
 */
const apps = appsDir('frameworks');
const h = useAppHarness();
const TURNS = 100;

function replayLoop(): void {
  for (let i = 1; i <= TURNS; i++) {
    h.replay.respond('POST', '/v1/responses', () =>
      exchange('POST', 'http://replay/v1/responses', {
        id: `resp_${i}`,
        object: 'response',
        created_at: 1755182716,
        status: 'completed',
        model: 'gpt-4o-mini',
        // A real model gives each call a fresh id: the loop is the same request all the same.
        output: [
          {
            type: 'function_call',
            id: `fc_${i}`,
            call_id: `call_${i}`,
            name: 'lookup_invoice',
            arguments: '{}',
            status: 'completed',
          },
        ],
        usage: {
          input_tokens: 100 * i,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 10,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 100 * i + 10,
        },
      }),
    );
  }
}

const runLoop = (service: string, breaker: Record<string, string>) =>
  h.runJson(apps, ['agents-loop.mjs'], service, breaker);

/** Requests the agent's model sent (the replay server is shared by the file's tests). */
const requests = () =>
  h.replay.requests.filter(
    (r) => r.path.endsWith('/responses') && r.body.includes('Find the invoice'),
  ).length;

describe('the breaker inside the OpenAI Agents SDK', () => {
  it('a loop (the same tool call again and again) stops at BURNRATE_BREAKER_MAX_REPEATS', async () => {
    replayLoop();
    const service = 'agents-loop-repeats';
    const before = requests();
    const out = await runLoop(service, { BURNRATE_BREAKER_MAX_REPEATS: '3' });
    expect(out).toMatchObject({ outcome: 'threw', name: 'BudgetExceededError', kind: 'loop' });
    expect(out.agent).toBe('Looper');
    // Turn 1 (the user's question) and three identical turns went out; the fifth never left.
    expect(requests() - before).toBe(4);
    expect(out.lookups).toBe(4);
    const spans = await h.spansOf(service, 6);
    const refused = spans.filter((s) => s.attributes['burnrate.breaker.kind'] === 'loop');
    expect(refused).toHaveLength(1);
    expect(refused[0].attributes['burnrate.breaker.mode']).toBe('enforce');
    expect(refused[0].attributes['burnrate.breaker.limit']).toBe(3);
    expect(refused[0].attributes['gen_ai.agent.name']).toBe('Looper');
    // The four calls that went are priced exactly and belong to one run.
    const priced = spans.filter((s) => typeof s.attributes['burnrate.cost.usd'] === 'number');
    expect(priced).toHaveLength(4);
    const expected = [1, 2, 3, 4].reduce((sum, i) => sum + (100 * i * 0.15 + 10 * 0.6) / 1e6, 0);
    const run = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
    expect(run?.attributes['burnrate.run.cost_usd']).toBeCloseTo(expected, 12);
  });

  it('a run stops at BURNRATE_BREAKER_MAX_CALLS (steps); record mode only marks', async () => {
    replayLoop();
    const service = 'agents-loop-steps';
    const before = requests();
    const out = await runLoop(service, { BURNRATE_BREAKER_MAX_CALLS: '6' });
    expect(out).toMatchObject({ outcome: 'threw', name: 'BudgetExceededError', kind: 'steps' });
    expect(requests() - before).toBe(6);

    replayLoop();
    const recorded = 'agents-loop-record';
    const start = requests();
    const marked = await runLoop(recorded, {
      BURNRATE_BREAKER_MAX_CALLS: '6',
      BURNRATE_BREAKER_MODE: 'record',
    });
    // Nothing refused: the SDK's own maxTurns (100) ends the run; calls 7… are marked.
    expect(marked.outcome).toBe('threw');
    expect(marked.name).toBe('MaxTurnsExceededError');
    expect(requests() - start).toBe(TURNS);
    const spans = await h.spansOf(recorded, TURNS);
    const flagged = spans.filter((s) => s.attributes['burnrate.breaker.kind'] === 'steps');
    expect(flagged).toHaveLength(TURNS - 6);
    expect(flagged.every((s) => s.attributes['burnrate.breaker.mode'] === 'record')).toBe(true);
  });
});
