import { registerModelCallGate } from '@burnrate/core';
import { expectBlockingGateRefuses } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { converseReply, invokeReply } from './fixtures.ts';
import { Bedrock, client, useHarness } from './test-setup.ts';

const h = useHarness();
const MESSAGES = [
  { role: 'user' as const, content: [{ text: 'What are the 4 cardinal directions?' }] },
];

describe('Bedrock: budget gates', () => {
  it('a blocking gate refuses the call before any request, with the error on one span', async () => {
    await expectBlockingGateRefuses(
      () =>
        client(h.replay.url).send(
          new Bedrock.ConverseCommand({ modelId: 'us.amazon.nova-pro-v1:0', messages: MESSAGES }),
        ),
      h,
    );
  });

  it('Converse: a degrading gate swaps the model and caps the output on a new command, and settles', async () => {
    const settled: (number | undefined)[] = [];
    const stop = registerModelCallGate((req) => {
      expect(req.estimateInputTokens()).toBeGreaterThan(5);
      return {
        maxOutputTokens: 64,
        model: 'us.amazon.nova-lite-v1:0',
        attributes: { 'burnrate.budget.action': 'degrade' },
        settle: (a) => settled.push(a.usd),
      };
    });
    try {
      h.replay.add([
        converseReply('us.amazon.nova-lite-v1:0', {
          inputTokens: 20,
          outputTokens: 10,
          totalTokens: 30,
        }),
      ]);
      const command = new Bedrock.ConverseCommand({
        modelId: 'us.amazon.nova-pro-v1:0',
        messages: MESSAGES,
        inferenceConfig: { maxTokens: 512 },
      });
      await client(h.replay.url).send(command);
      expect(command.input.modelId).toBe('us.amazon.nova-pro-v1:0');
      expect(command.input.inferenceConfig?.maxTokens).toBe(512);
      expect(h.replay.requests[0].path).toBe('/model/us.amazon.nova-lite-v1:0/converse');
      expect(h.replay.requests[0].json).toMatchObject({ inferenceConfig: { maxTokens: 64 } });
      const [span] = h.tracing.spans();
      const a = span.attributes;
      expect(a['gen_ai.request.model']).toBe('us.amazon.nova-lite-v1:0');
      expect(a['gen_ai.request.max_tokens']).toBe(64);
      expect(a['burnrate.budget.action']).toBe('degrade');
      // Nova Lite: $0.06 in, $0.24 out (per million)
      expect(a['burnrate.cost.usd']).toBeCloseTo((20 * 0.06 + 10 * 0.24) / 1e6, 12);
      expect(settled).toEqual([a['burnrate.cost.usd']]);
    } finally {
      stop();
    }
  });

  it('InvokeModel: caps the native body own field on a copy; never swaps to another model family', async () => {
    const stop = registerModelCallGate(() => ({
      maxOutputTokens: 32,
      model: 'us.amazon.nova-lite-v1:0',
    }));
    try {
      const modelId = 'us.meta.llama3-1-70b-instruct-v1:0';
      h.replay.add([
        invokeReply(modelId, {
          generation: 'North.',
          prompt_token_count: 5,
          generation_token_count: 2,
          stop_reason: 'stop',
        }),
      ]);
      const body = JSON.stringify({ prompt: 'Directions?', max_gen_len: 512 });
      await client(h.replay.url).send(new Bedrock.InvokeModelCommand({ modelId, body }));
      expect(h.replay.requests[0].path).toBe(`/model/${modelId}/invoke`);
      expect(h.replay.requests[0].json).toEqual({ prompt: 'Directions?', max_gen_len: 32 });
      expect(h.tracing.spans()[0].attributes['gen_ai.request.max_tokens']).toBe(32);
    } finally {
      stop();
    }
  });
});
