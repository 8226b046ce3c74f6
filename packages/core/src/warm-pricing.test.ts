import type { ModelCallPriceInput, Pricer } from '@burnrate/pricing';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { setPricer, warmPricing } from './cost.ts';
import { traceModelCall } from './model-call.ts';

afterEach(() => setPricer(undefined));

const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A pricer that only records what it was asked to get ready for. */
function recordingPricer(prepare: Pricer['prepare']): Pricer & { priced: ModelCallPriceInput[] } {
  const priced: ModelCallPriceInput[] = [];
  return {
    priced,
    priceModelCall: (input) => {
      priced.push(input);
      return undefined;
    },
    unitPrices: () => undefined,
    priceVectorOperation: () => undefined,
    unpriced: () => new Map(),
    prepare,
  };
}

describe('pricing made ready as a provider’s first call starts', () => {
  it('asks the pricer once per provider, in a task after the call, never inside it', async () => {
    const asked: string[] = [];
    setPricer(
      recordingPricer(async (provider, model) => {
        asked.push(`${provider}/${model}`);
      }),
    );
    const attrs = { 'gen_ai.provider.name': 'warm-a', 'gen_ai.request.model': 'm-1' };
    warmPricing(attrs);
    expect(asked).toEqual([]);
    await nextTask();
    expect(asked).toEqual(['warm-a/m-1']);
    warmPricing(attrs);
    warmPricing({ ...attrs, 'gen_ai.request.model': 'm-2' });
    await nextTask();
    expect(asked).toEqual(['warm-a/m-1']);
  });

  it('every traced call goes through it as its span starts (the call is sent at once)', async () => {
    const asked: string[] = [];
    setPricer(
      recordingPricer(async (provider, model) => {
        asked.push(`${provider}/${model}`);
      }),
    );
    let sent = false;
    const result = traceModelCall({
      tracer: trace.getTracer('warm-test'),
      name: 'chat m-3',
      attributes: { 'gen_ai.provider.name': 'warm-b', 'gen_ai.request.model': 'm-3' },
      request: {},
      gate: {
        provider: 'warm-b',
        operation: 'chat',
        model: 'm-3',
        maxOutputTokens: 0,
        estimateInputTokens: () => 0,
      },
      applyGate: (r) => r,
      call: async () => {
        sent = true;
        return 'reply';
      },
      onResult: () => undefined,
    });
    expect(sent).toBe(true);
    expect(asked).toEqual([]);
    expect(await result).toBe('reply');
    await nextTask();
    expect(asked).toEqual(['warm-b/m-3']);
  });

  it('fails open: a pricer whose preparation throws or rejects changes nothing for the caller', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      setPricer(
        recordingPricer(() => {
          throw new Error('prepare threw');
        }),
      );
      expect(() =>
        warmPricing({ 'gen_ai.provider.name': 'warm-c', 'gen_ai.request.model': 'm' }),
      ).not.toThrow();
      await nextTask();
      setPricer(recordingPricer(() => Promise.reject(new Error('prepare rejected'))));
      warmPricing({ 'gen_ai.provider.name': 'warm-d', 'gen_ai.request.model': 'm' });
      await nextTask();
      await nextTask();
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
