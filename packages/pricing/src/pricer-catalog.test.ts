import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION, createPricer } from './index.ts';

// Every expected number below is tokens x a price read from the bundled genai-prices 0.1.8 data
// (USD per million tokens), written out so a reader can check it against the catalog.
const pricer = createPricer();
const M = 1_000_000;

describe('prices from the catalog, each part tokens x the catalog price', () => {
  it('gpt-4o-mini: input 0.15, cache read 0.075, output 0.6', () => {
    const cost = pricer.priceModelCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      tokens: { input: 1200, output: 350, cacheRead: 200 },
    });
    expect(cost).toEqual({
      inputUsd: (1000 * 0.15) / M,
      cacheReadUsd: (200 * 0.075) / M,
      cacheWriteUsd: 0,
      outputUsd: (350 * 0.6) / M,
      requestUsd: 0,
      totalUsd: (1000 * 0.15) / M + (350 * 0.6) / M + (200 * 0.075) / M,
      pricingModel: 'gpt-4o-mini',
      pricingProvider: 'openai',
      catalogVersion: '@pydantic/genai-prices@0.1.8',
      origin: 'catalog',
    });
  });

  it('claude-sonnet-4: uncached input 3, cache read 0.3, 5m write 3.75, 1h write 6, output 15', () => {
    const cost = pricer.priceModelCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      tokens: {
        input: 10_000,
        output: 800,
        cacheRead: 4000,
        cacheWrite: 3000,
        cacheWrite1h: 1000,
        reasoning: 300,
      },
    });
    expect(cost?.pricingModel).toBe('claude-sonnet-4-0');
    expect(cost?.inputUsd).toBe((2000 * 3) / M);
    expect(cost?.cacheReadUsd).toBe((4000 * 0.3) / M);
    expect(cost?.cacheWriteUsd).toBe((3000 * 3.75) / M + (1000 * 6) / M);
    // reasoning is part of output, priced once at the output price
    expect(cost?.outputUsd).toBe((800 * 15) / M);
    expect(cost?.totalUsd).toBeCloseTo(0.006 + 0.0012 + 0.01125 + 0.006 + 0.012, 15);
  });

  it('gemini-2.5-pro: the tier is chosen by all input tokens (base up to 200k, dearer above)', () => {
    const small = pricer.priceModelCall({
      provider: 'gcp.gen_ai',
      model: 'gemini-2.5-pro',
      tokens: { input: 200_000, output: 1000, cacheRead: 50_000 },
    });
    expect(small?.inputUsd).toBe((150_000 * 1.25) / M);
    expect(small?.cacheReadUsd).toBe((50_000 * 0.125) / M);
    expect(small?.outputUsd).toBe((1000 * 10) / M);
    const large = pricer.priceModelCall({
      provider: 'gcp.gen_ai',
      model: 'gemini-2.5-pro',
      tokens: { input: 200_001, output: 1000, cacheRead: 150_000 },
    });
    expect(large?.inputUsd).toBe((50_001 * 2.5) / M);
    expect(large?.cacheReadUsd).toBe((150_000 * 0.25) / M);
    expect(large?.outputUsd).toBe((1000 * 15) / M);
  });

  it('dated prices follow `at`: o3 was 10/40 before 2025-06-10 and 2/8 from then', () => {
    const tokens = { input: 1000, output: 1000 };
    const before = pricer.priceModelCall({
      provider: 'openai',
      model: 'o3',
      tokens,
      at: new Date('2025-06-09T23:59:59Z'),
    });
    const after = pricer.priceModelCall({
      provider: 'openai',
      model: 'o3',
      tokens,
      at: new Date('2025-06-10T00:00:00Z'),
    });
    expect(before?.totalUsd).toBe((1000 * 10) / M + (1000 * 40) / M);
    expect(after?.totalUsd).toBe((1000 * 2) / M + (1000 * 8) / M);
  });

  it('an invalid `at` means now, not the oldest price', () => {
    const tokens = { input: 1000, output: 1000 };
    const cost = pricer.priceModelCall({
      provider: 'openai',
      model: 'o3',
      tokens,
      at: new Date('nonsense'),
    });
    expect(cost?.totalUsd).toBe((1000 * 2) / M + (1000 * 8) / M);
  });

  it('time-of-day prices follow `at` in UTC: deepseek-chat peak 0.27/1.1, off-peak 0.135/0.55', () => {
    const tokens = { input: 1000, output: 1000 };
    const peak = pricer.priceModelCall({
      provider: 'deepseek',
      model: 'deepseek-chat',
      tokens,
      at: new Date('2026-01-05T12:00:00Z'),
    });
    const off = pricer.priceModelCall({
      provider: 'deepseek',
      model: 'deepseek-chat',
      tokens,
      at: new Date('2026-01-05T17:00:00Z'),
    });
    expect(peak?.totalUsd).toBe((1000 * 0.27) / M + (1000 * 1.1) / M);
    expect(off?.totalUsd).toBe((1000 * 0.135) / M + (1000 * 0.55) / M);
  });

  it('no cache-read price in the catalog: cache reads cost the input price, never 0', () => {
    // gpt-4o-2024-05-13 lists input 5 and output 15 only
    const cost = pricer.priceModelCall({
      provider: 'openai',
      model: 'gpt-4o-2024-05-13',
      tokens: { input: 1000, output: 0, cacheRead: 400 },
    });
    expect(cost?.cacheReadUsd).toBe((400 * 5) / M);
    expect(cost?.inputUsd).toBe((600 * 5) / M);
  });

  it('no 1h cache-write price: 1h writes cost 2x input (Bedrock regional Claude Sonnet 4 lists 3 / 3.75)', () => {
    const cost = pricer.priceModelCall({
      provider: 'aws.bedrock',
      model: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      tokens: { input: 3000, output: 0, cacheWrite: 1000, cacheWrite1h: 1000 },
    });
    expect(cost?.pricingModel).toBe('regional.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(cost?.cacheWriteUsd).toBe((1000 * 3.75) / M + (1000 * (2 * 3)) / M);
    expect(cost?.inputUsd).toBe((1000 * 3) / M);
  });

  it('a separate reasoning price and a per-request fee are applied where the catalog has them', () => {
    const deep = pricer.priceModelCall({
      provider: 'perplexity',
      model: 'sonar-deep-research',
      tokens: { input: 100, output: 1000, reasoning: 600 },
    });
    expect(deep?.outputUsd).toBe((400 * 8) / M + (600 * 3) / M);
    const sonar = pricer.priceModelCall({
      provider: 'perplexity',
      model: 'sonar',
      tokens: { input: 100, output: 100 },
    });
    expect(sonar?.requestUsd).toBe(12 / 1000);
    expect(sonar?.totalUsd).toBe((100 * 1) / M + (100 * 1) / M + 12 / 1000);
  });

  it('a model the catalog lists as free costs 0; one priced only by audio hours is unpriced', () => {
    const p = createPricer();
    expect(
      p.priceModelCall({
        provider: 'openai',
        model: 'omni-moderation-latest',
        tokens: { input: 500, output: 0 },
      })?.totalUsd,
    ).toBe(0);
    expect(
      p.priceModelCall({
        provider: 'openai',
        model: 'whisper-1',
        tokens: { input: 500, output: 20 },
      }),
    ).toBeUndefined();
    expect(p.unpriced().get('openai/whisper-1')).toBe(1);
  });

  it('an embedding model (input price only) prices input, and is unpriced if output tokens appear', () => {
    const p = createPricer();
    expect(
      p.priceModelCall({
        provider: 'openai',
        model: 'text-embedding-3-small',
        tokens: { input: 5000, output: 0 },
      })?.totalUsd,
    ).toBe((5000 * 0.02) / M);
    expect(
      p.priceModelCall({
        provider: 'openai',
        model: 'text-embedding-3-small',
        tokens: { input: 5000, output: 3 },
      }),
    ).toBeUndefined();
  });

  it('unitPrices gives per-token prices for reservations, with the dearer tiers', () => {
    expect(pricer.unitPrices('openai', 'gpt-4o-mini')).toEqual({
      inputPerToken: 0.15 / M,
      outputPerToken: 0.6 / M,
      cacheReadPerToken: 0.075 / M,
      pricingModel: 'gpt-4o-mini',
      pricingProvider: 'openai',
      origin: 'catalog',
      contextWindow: 128_000,
    });
    const gemini = pricer.unitPrices('gcp.gen_ai', 'gemini-2.5-pro');
    expect(gemini?.inputPerToken).toBe(1.25 / M);
    expect(gemini?.tiers).toEqual([
      {
        aboveInputTokens: 200_000,
        inputPerToken: 2.5 / M,
        outputPerToken: 15 / M,
        cacheReadPerToken: 0.25 / M,
      },
    ]);
    expect(pricer.unitPrices('openai', 'no-such-model')).toBeUndefined();
  });

  it('names the installed catalog version', () => {
    const pkg = JSON.parse(
      readFileSync(
        new URL('../../../node_modules/@pydantic/genai-prices/package.json', import.meta.url),
        'utf8',
      ),
    ) as { version: string };
    expect(CATALOG_VERSION).toBe(`@pydantic/genai-prices@${pkg.version}`);
  });
});
