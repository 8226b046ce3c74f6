import { createRequire } from 'node:module';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { useProcessorTracing } from './test-support/tracing.ts';

// The lightest peer's own spans (@opentelemetry/instrumentation-openai on the real openai 6 SDK),
// priced by Burnrate's span processor: what a service that keeps that instrumentation gets.
const require = createRequire(import.meta.url);

interface Patchable {
  getModuleDefinitions(): { patch?: (exports: unknown, version?: string) => unknown }[];
  setTracerProvider(p: TracerProvider): void;
}
interface OpenAILike {
  chat: { completions: { create(body: object): Promise<unknown> } };
}

const { exporter, provider } = useProcessorTracing({ global: true });
const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
};

describe('spans of @opentelemetry/instrumentation-openai', () => {
  it('are priced by BurnrateSpanProcessor: tokens times the catalog price, exactly', async () => {
    const sdk = require('openai-v6') as { OpenAI: new (o: object) => OpenAILike };
    const version = (require('openai-v6/version') as { VERSION: string }).VERSION;
    const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai') as {
      OpenAIInstrumentation: new () => Patchable;
    };
    const instrumentation = new OpenAIInstrumentation();
    instrumentation.setTracerProvider(provider);
    for (const d of instrumentation.getModuleDefinitions()) d.patch?.(sdk, version);
    const client = new sdk.OpenAI({
      apiKey: 'k',
      baseURL: 'http://peer.invalid/v1',
      maxRetries: 0,
      fetch: async () =>
        new Response(JSON.stringify(completion), {
          headers: { 'content-type': 'application/json' },
        }),
    });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(1200);
    expect(a['burnrate.cost.source']).toBe('usage');
    // gpt-4o-mini: $0.15 / 1M input tokens, $0.60 / 1M output tokens (genai-prices 0.1.8).
    expect(a['burnrate.cost.usd']).toBeCloseTo((1200 * 0.15 + 300 * 0.6) / 1e6, 12);
    expect(a['burnrate.pricing.model']).toBe('gpt-4o-mini');
  });
});
