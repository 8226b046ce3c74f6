import { exchange, loadHar } from '@burnrate/test-utils';
import { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { serverInfo } from './provider.ts';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

describe('provider from base URL', () => {
  const cases: [string, string][] = [
    ['https://api.openai.com/v1', 'openai'],
    ['https://my-resource.openai.azure.com/openai', 'azure.ai.openai'],
    ['https://api.groq.com/openai/v1', 'groq'],
    ['https://api.together.xyz/v1', 'together'],
    ['https://openrouter.ai/api/v1', 'openrouter'],
    ['http://localhost:11434/v1', 'ollama'],
    ['https://api.deepseek.com', 'deepseek'],
    ['http://vllm.internal:8000/v1', 'openai'],
  ];
  it.each(cases)('%s -> %s', (baseURL, provider) => {
    expect(serverInfo({ baseURL, constructor: { name: 'OpenAI' } }, [], 'openai').provider).toBe(
      provider,
    );
  });
  it('lets the user name a self-hosted server', () => {
    const info = serverInfo(
      { baseURL: 'http://vllm.internal:8000/v1', constructor: { name: 'OpenAI' } },
      [{ baseURL: 'http://vllm.internal:8000', provider: 'vllm' }],
      'openai',
    );
    expect(info).toEqual({ provider: 'vllm', address: 'vllm.internal', port: 8000 });
  });
});

describe.each(SDKS)('openai v$major: against OpenAI-compatible servers', (sdk) => {
  it('prices a Together call (recorded) under provider together', async () => {
    h.instrumentation.setConfig({ providers: [{ baseURL: h.replay.url, provider: 'together' }] });
    try {
      h.replay.add(loadHar('together/should-set-attributes-in-span-for-chat.har'));
      const openai = client(sdk, h.replay.url);
      await openai.chat.completions.create({
        model: 'Qwen/Qwen2.5-72B-Instruct-Turbo',
        messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
      });
      const a = h.tracing.spans()[0].attributes;
      expect(a['gen_ai.provider.name']).toBe('together');
      expect(a['gen_ai.usage.input_tokens']).toBe(37);
      expect(a['gen_ai.usage.output_tokens']).toBe(53);
      expect(['usage', 'unpriced']).toContain(a['burnrate.cost.source']);
      if (a['burnrate.cost.source'] === 'usage') expect(a['burnrate.cost.usd']).toBeGreaterThan(0);
    } finally {
      h.instrumentation.setConfig({});
    }
  });
});

describe('AzureOpenAI', () => {
  it('is azure.ai.openai and prices the deployment by the model in the response', async () => {
    h.replay.add([
      exchange('POST', 'https://x.openai.azure.com/openai/deployments/prod-chat/chat/completions', {
        id: 'c',
        model: 'gpt-4o-2024-08-06',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
      }),
    ]);
    const azure = new AzureOpenAI({
      apiKey: 'k',
      endpoint: h.replay.url,
      apiVersion: '2024-10-21',
      deployment: 'prod-chat',
      maxRetries: 0,
    });
    await azure.chat.completions.create({
      model: 'prod-chat',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.provider.name']).toBe('azure.ai.openai');
    expect(a['gen_ai.request.model']).toBe('prod-chat');
    expect(a['gen_ai.response.model']).toBe('gpt-4o-2024-08-06');
    // gpt-4o-2024-08-06: $2.50 / M input, $10 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((100 * 2.5 + 10 * 10) / 1e6, 12);
  });
});
