import { describe, expect, it } from 'vitest';
import { catalogProviderId, createPricer, modelCandidates } from './index.ts';

const tokens = { input: 1000, output: 100 };

function entry(provider: string, model: string, azureDeployments?: Record<string, string>) {
  const cost = createPricer({ azureDeployments }).priceModelCall({ provider, model, tokens });
  return cost && `${cost.pricingProvider}/${cost.pricingModel}`;
}

describe('provider names', () => {
  it.each([
    ['openai', 'openai'],
    ['anthropic', 'anthropic'],
    ['gcp.gen_ai', 'google'],
    ['gcp.vertex_ai', 'google'],
    ['gcp.gemini', 'google'],
    ['aws.bedrock', 'aws'],
    ['azure.ai.openai', 'azure'],
    ['cohere', 'cohere'],
    ['mistral_ai', 'mistral'],
    ['groq', 'groq'],
    ['deepseek', 'deepseek'],
    ['perplexity', 'perplexity'],
    ['x_ai', 'x-ai'],
    ['together', 'together'],
    ['openrouter', 'openrouter'],
    ['fireworks', 'fireworks'],
    ['moonshotai', 'moonshotai'],
    [' OpenAI ', 'openai'],
  ])('%s -> catalog provider %s', (name, id) => {
    expect(catalogProviderId(name)).toBe(id);
  });

  it('self-hosted and unknown providers have no catalog provider', () => {
    expect(catalogProviderId('ollama')).toBeUndefined();
    expect(catalogProviderId('vllm')).toBeUndefined();
    expect(catalogProviderId('my-gateway')).toBeUndefined();
  });

  it('always prices within the named provider (no guessing the provider from the model)', () => {
    expect(entry('ollama', 'gpt-4o')).toBeUndefined();
    expect(entry('vllm', 'meta-llama/Llama-3.1-8B-Instruct')).toBeUndefined();
    // same model id, different provider lists, different prices
    expect(entry('azure.ai.openai', 'o3')).toBe('azure/o3-2025-04-16');
    expect(entry('openai', 'o3')).toBe('openai/o3');
  });
});

describe('model ids', () => {
  it.each([
    ['openai', 'gpt-4o-2024-08-06', 'openai/gpt-4o'],
    ['openai', 'GPT-4o-mini', 'openai/gpt-4o-mini'],
    // compact dates are retried with dashes, as the catalog does
    ['openai', 'gpt-4o-mini-20240718', 'openai/gpt-4o-mini'],
    ['openai', 'openai/gpt-4o-mini', 'openai/gpt-4o-mini'],
    ['openai', 'openai:gpt-4o-mini', 'openai/gpt-4o-mini'],
    ['anthropic', 'claude-3-5-sonnet-20241022', 'anthropic/claude-3-5-sonnet'],
    ['anthropic', 'anthropic:claude-sonnet-4-20250514', 'anthropic/claude-sonnet-4-0'],
    ['gcp.gen_ai', 'models/gemini-2.5-flash', 'google/gemini-2.5-flash'],
    ['gcp.vertex_ai', 'publishers/google/models/gemini-2.5-pro', 'google/gemini-2.5-pro'],
    ['gcp.vertex_ai', 'claude-sonnet-4@20250514', 'google/claude-4-sonnet'],
    [
      'aws.bedrock',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0',
    ],
    [
      'aws.bedrock',
      'eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'aws/regional.anthropic.claude-3-7-sonnet-20250219-v1:0',
    ],
    // global. profiles are cheaper than regional ones in the catalog: the prefix is kept when it matches
    [
      'aws.bedrock',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'aws/global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    [
      'aws.bedrock',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    // region prefix the catalog does not spell out: stripped, then matched
    ['aws.bedrock', 'apac.amazon.nova-pro-v1:0', 'aws/amazon.nova-pro-v1:0'],
    ['aws.bedrock', 'us.meta.llama3-3-70b-instruct-v1:0', 'aws/meta.llama3-3-70b-instruct-v1:0'],
    [
      'aws.bedrock',
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0',
      'aws/amazon.nova-lite-v1:0',
    ],
    ['azure.ai.openai', 'gpt-4o-2024-11-20', 'openai/gpt-4o'],
    ['openrouter', 'anthropic/claude-3.5-sonnet', 'openrouter/anthropic/claude-3.5-sonnet'],
    [
      'fireworks',
      'accounts/fireworks/models/llama-v3p1-8b-instruct',
      'fireworks/llama-v3p1-8b-instruct',
    ],
    ['mistral_ai', 'mistral-large-latest', 'mistral/mistral-large'],
    ['x_ai', 'grok-3', 'x-ai/grok-3'],
    ['cohere', 'command-r-plus-08-2024', 'cohere/command-r-plus'],
    ['deepseek', 'deepseek-reasoner', 'deepseek/deepseek-reasoner'],
    ['groq', 'llama-3.3-70b-versatile', 'groq/llama-3.3-70b-versatile'],
  ])('%s %s -> %s', (provider, model, expected) => {
    expect(entry(provider, model)).toBe(expected);
  });

  it('tries the id as given before stripping prefixes', () => {
    expect(modelCandidates('us.anthropic.claude-3-haiku-20240307-v1:0')).toEqual([
      'us.anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-3-haiku-20240307-v1:0',
    ]);
    expect(modelCandidates('openai/gpt-4o')).toEqual(['openai/gpt-4o', 'gpt-4o']);
  });

  it('does not strip prefixes that change the price (fine-tuned models keep fine-tuned prices)', () => {
    const pricer = createPricer();
    const ft = pricer.priceModelCall({
      provider: 'openai',
      model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123',
      tokens,
    });
    expect(ft?.pricingModel).toBe('ft:gpt-4o-mini');
    expect(ft?.totalUsd).toBe((1000 * 0.3) / 1e6 + (100 * 1.2) / 1e6);
    expect(entry('openai', 'ft:davinci-002:acme::xyz')).toBeUndefined();
  });

  it('maps Azure deployment names to base models from config', () => {
    expect(entry('azure.ai.openai', 'prod-chat', { 'prod-chat': 'gpt-4o-mini-2024-07-18' })).toBe(
      'openai/gpt-4o-mini',
    );
    expect(entry('azure.ai.openai', 'prod-chat')).toBeUndefined();
  });
});

describe('unknown models', () => {
  it('are unpriced (undefined, never 0) and counted per provider/model', () => {
    const pricer = createPricer();
    expect(
      pricer.priceModelCall({ provider: 'openai', model: 'gpt-99-turbo', tokens }),
    ).toBeUndefined();
    expect(
      pricer.priceModelCall({ provider: 'openai', model: 'gpt-99-turbo', tokens }),
    ).toBeUndefined();
    expect(
      pricer.priceModelCall({ provider: 'ollama', model: 'llama3.1:8b', tokens }),
    ).toBeUndefined();
    expect(pricer.unitPrices('ollama', 'llama3.1:8b')).toBeUndefined();
    expect([...pricer.unpriced()]).toEqual([
      ['openai/gpt-99-turbo', 2],
      ['ollama/llama3.1:8b', 1],
    ]);
  });

  it('keeps the unpriced map bounded', () => {
    const pricer = createPricer();
    for (let i = 0; i < 1100; i++)
      pricer.priceModelCall({ provider: 'ollama', model: `m-${i}`, tokens });
    const m = pricer.unpriced();
    expect(m.size).toBe(1001);
    expect(m.get('(other)/(other)')).toBe(100);
  });
});

describe('fails open', () => {
  it('never throws and never invents a price for bad input', () => {
    const pricer = createPricer();
    const bad = [
      { provider: 'openai', model: 'gpt-4o', tokens: { input: -1, output: 0 } },
      { provider: 'openai', model: 'gpt-4o', tokens: { input: Number.NaN, output: 0 } },
      {
        provider: 'openai',
        model: 'gpt-4o',
        tokens: { input: 10, output: Number.POSITIVE_INFINITY },
      },
      { provider: 'openai', model: 'gpt-4o', tokens: null },
      { provider: undefined, model: undefined, tokens },
      null,
    ];
    for (const input of bad) {
      expect(() => pricer.priceModelCall(input as never)).not.toThrow();
      expect(pricer.priceModelCall(input as never)).toBeUndefined();
    }
    expect(() => pricer.unitPrices(undefined as never, null as never)).not.toThrow();
    expect(() => pricer.priceVectorOperation(null as never)).not.toThrow();
  });

  it('prices cache counts that exceed input (a client that did not add them in) without negative input', () => {
    const cost = createPricer().priceModelCall({
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      tokens: { input: 10, output: 0, cacheRead: 1000 },
    });
    expect(cost?.inputUsd).toBe(0);
    expect(cost?.cacheReadUsd).toBe((1000 * 0.08) / 1e6);
  });
});
