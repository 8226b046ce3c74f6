import { describe, expect, it } from 'vitest';
import { catalogProviderLoaded } from './catalog.ts';
import { createPricer } from './pricer.ts';

// This file's module state is its own (vitest isolates test files): no catalog file read yet.
describe('pricer.prepare: a provider made ready without blocking', () => {
  it('reads the catalog file after returning, and the first call is then priced from it', async () => {
    const pricer = createPricer();
    expect(catalogProviderLoaded('openai')).toBe(false);
    const ready = pricer.prepare?.('openai', 'gpt-4o-mini');
    // Nothing read in the calling task.
    expect(catalogProviderLoaded('openai')).toBe(false);
    await ready;
    expect(catalogProviderLoaded('openai')).toBe(true);
    // gpt-4o-mini: $0.15 input and $0.60 output per million tokens in the catalog.
    const cost = pricer.priceModelCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      tokens: { input: 1000, output: 1000 },
    });
    expect(cost?.totalUsd).toBeCloseTo(0.00075, 12);
    // Getting ready is not a call: nothing counted as unpriced.
    expect(pricer.unpriced().size).toBe(0);
  });

  it('reads the fallback providers a provider prices from (Azure from OpenAI)', async () => {
    const pricer = createPricer();
    expect(catalogProviderLoaded('azure')).toBe(false);
    await pricer.prepare?.('azure.ai.openai', 'gpt-4o');
    expect(catalogProviderLoaded('azure')).toBe(true);
    expect(catalogProviderLoaded('openai')).toBe(true);
  });

  it('a provider the catalog does not have reads nothing and counts nothing', async () => {
    const pricer = createPricer();
    await pricer.prepare?.('my-own-llm', 'model-x');
    expect(catalogProviderLoaded('my-own-llm')).toBe(false);
    expect(pricer.unpriced().size).toBe(0);
  });
});
