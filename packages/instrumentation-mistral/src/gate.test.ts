import { registerModelCallGate } from '@burnrate/core';
import { expectBlockingGateRefuses } from '@burnrate/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { chatExchange, client, SDKS, streamExchange, useHarness } from './test-setup.ts';

const h = useHarness();

const MESSAGES = [{ role: 'user' as const, content: 'Tell me a joke' }];

describe.each(SDKS)('@mistralai/mistralai v$major: budget gates', (sdk) => {
  it('a blocking gate refuses the call before any request, with the error on one span', async () => {
    await expectBlockingGateRefuses(
      () =>
        client(sdk, h.replay.url).chat.complete({
          model: 'mistral-large-latest',
          messages: MESSAGES,
        }),
      h,
    );
  });

  it('a degrading gate caps the output and swaps the model on a copy of the request, and settles', async () => {
    const settled: (number | undefined)[] = [];
    const stop = registerModelCallGate((req) =>
      req.provider === 'mistral_ai' &&
      req.model === 'mistral-large-latest' &&
      req.maxOutputTokens === 500
        ? {
            maxOutputTokens: 64,
            model: 'mistral-small-latest',
            attributes: { 'burnrate.budget.action': 'degrade' },
            settle: (a) => settled.push(a.usd),
          }
        : undefined,
    );
    try {
      h.replay.add(
        chatExchange('mistral-small-latest', { prompt_tokens: 16, completion_tokens: 34 }),
      );
      const request = { model: 'mistral-large-latest', messages: MESSAGES, maxTokens: 500 };
      await client(sdk, h.replay.url).chat.complete(request);
      expect(request.maxTokens).toBe(500);
      expect(h.replay.requests[0].json).toMatchObject({
        model: 'mistral-small-latest',
        max_tokens: 64,
      });
      const a = h.tracing.spans()[0].attributes;
      expect(a['gen_ai.request.model']).toBe('mistral-small-latest');
      expect(a['gen_ai.request.max_tokens']).toBe(64);
      expect(settled).toHaveLength(1);
      expect(settled[0]).toBeCloseTo(a['burnrate.cost.usd'] as number, 15);
    } finally {
      stop();
    }
  });

  // The response names a model the catalog does not know: the call is priced by the model it was
  // sent with (the gate's swap), not the one the caller asked for.
  it.each([
    ['complete', false],
    ['stream', true],
  ])(
    'a degraded call (%s) is priced by the model it sent, not the one asked for',
    async (_, stream) => {
      const stop = registerModelCallGate(() => ({
        model: 'mistral-small-latest',
        attributes: { 'burnrate.budget.action': 'degrade' },
      }));
      try {
        const usage = { prompt_tokens: 16, completion_tokens: 34 };
        h.replay.add(
          stream
            ? streamExchange('mistral-small-2099', ['a', 'b'], usage)
            : chatExchange('mistral-small-2099', usage),
        );
        const mistral = client(sdk, h.replay.url);
        const request = { model: 'mistral-large-latest', messages: MESSAGES };
        if (stream) {
          for await (const _ of await mistral.chat.stream(request)) {
            /* drain */
          }
        } else {
          await mistral.chat.complete(request);
        }
        expect(h.replay.requests[0].json).toMatchObject({ model: 'mistral-small-latest' });
        const a = h.tracing.spans()[0].attributes;
        expect(a['gen_ai.response.model']).toBe('mistral-small-2099');
        expect(a['burnrate.pricing.model']).toBe('mistral-small-latest');
        expect(a['burnrate.cost.usd']).toBeCloseTo((16 * 0.1 + 34 * 0.3) / 1e6, 12);
      } finally {
        stop();
      }
    },
  );
});

describe('@mistralai/mistralai v2 tracing itself, with budget gates registered', () => {
  afterEach(() => {
    delete process.env.MISTRAL_SDK_TELEMETRY;
  });

  it('Burnrate records the call (to enforce the gates); the SDK span inside it is not priced again', async () => {
    process.env.MISTRAL_SDK_TELEMETRY = 'global';
    const stop = registerModelCallGate(() => ({
      attributes: { 'burnrate.budget.action': 'allow' },
    }));
    try {
      h.replay.add(
        chatExchange('mistral-small-latest', { prompt_tokens: 16, completion_tokens: 34 }),
      );
      await client(SDKS[0], h.replay.url).chat.complete({
        model: 'mistral-small-latest',
        messages: MESSAGES,
      });
      const costed = h.tracing
        .spans()
        .filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
      expect(costed).toHaveLength(1);
      expect(costed[0].instrumentationScope.name).toBe('@burnrate/instrumentation-mistral');
      expect(costed[0].attributes['burnrate.budget.action']).toBe('allow');
    } finally {
      stop();
    }
  });
});
