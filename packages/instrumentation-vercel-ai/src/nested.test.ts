import { createOpenAI } from '@ai-sdk/openai';
import { GoogleGenAIInstrumentation } from '@burnrate/instrumentation-google-genai';
import { exchange, loadHar } from '@burnrate/test-utils';
import { GoogleGenAI, Models } from '@google/genai';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { generateText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { otelIntegration, totalCost, useHarness } from './test-setup.ts';

const h = useHarness();

const telemetry = { integrations: [] as never[] };
beforeAll(async () => {
  telemetry.integrations.push((await otelIntegration()) as never);
});

const PROMPT = 'What is 2+2? Give a brief answer.';

/**
 * Another instrumentation's span of the same HTTP call (the shape OpenLLMetry emits: older
 * `gen_ai.system` and `prompt_tokens` names), made around the provider's fetch, inside the AI
 * SDK's call span.
 */
function openLlmetryFetch(): typeof fetch {
  const tracer = trace.getTracer('@traceloop/instrumentation-openai');
  return async (input, init) => {
    const span = tracer.startSpan('openai.responses', {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-3.5-turbo' },
    });
    try {
      const response = await context.with(trace.setSpan(context.active(), span), () =>
        fetch(input, init),
      );
      const body = (await response.clone().json()) as {
        model: string;
        usage: { input_tokens: number; output_tokens: number };
      };
      span.setAttributes({
        'gen_ai.response.model': body.model,
        'gen_ai.usage.prompt_tokens': body.usage.input_tokens,
        'gen_ai.usage.completion_tokens': body.usage.output_tokens,
      });
      return response;
    } finally {
      span.end();
    }
  };
}

describe('one call, several spans: priced once', () => {
  it('the AI SDK call span and another instrumentation span of the same request', async () => {
    h.replay.add(
      loadHar('vercel-ai-sdk/should-capture-OpenAI-provider-spans-correctly-with-recording.har'),
    );
    const openai = createOpenAI({
      apiKey: 'test-key',
      baseURL: `${h.replay.url}/v1`,
      fetch: openLlmetryFetch(),
    });
    await generateText({ model: openai('gpt-3.5-turbo'), prompt: PROMPT, telemetry });
    const withUsage = h
      .spans()
      .filter((s) => s.attributes['gen_ai.usage.input_tokens'] !== undefined);
    // invoke_agent, chat (AI SDK) and the foreign span all report the call's tokens...
    expect(withUsage.length).toBe(3);
    // ...and exactly one of them carries its cost: the innermost, closest to the request.
    const costed = h.spans().filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
    expect(costed.map((s) => s.name)).toEqual(['openai.responses']);
    expect(totalCost(h.spans())).toBeCloseTo((19 * 0.5 + 8 * 1.5) / 1e6, 12);
  });

  it('a community provider built on an SDK that Burnrate instruments itself (@google/genai)', async () => {
    const instrumentation = new GoogleGenAIInstrumentation();
    instrumentation.patchExports('@google/genai', { Models });
    try {
      h.replay.add([
        exchange(
          'POST',
          'https://generativelanguage.googleapis.com/models/gemini-2.5-flash:generateContent',
          {
            candidates: [
              { content: { role: 'model', parts: [{ text: '4' }] }, finishReason: 'STOP' },
            ],
            usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 1, totalTokenCount: 10 },
            modelVersion: 'gemini-2.5-flash',
          },
        ),
      ]);
      const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: h.replay.url } });
      const model = new MockLanguageModelV4({
        provider: 'community.gemini',
        modelId: 'gemini-2.5-flash',
        doGenerate: async () => {
          const r = await ai.models.generateContent({
            model: 'gemini-2.5-flash',
            contents: PROMPT,
          });
          const u = r.usageMetadata ?? {};
          return {
            content: [{ type: 'text', text: r.text ?? '' }],
            finishReason: { unified: 'stop', raw: 'STOP' },
            usage: {
              inputTokens: {
                total: u.promptTokenCount,
                noCache: u.promptTokenCount,
                cacheRead: undefined,
                cacheWrite: undefined,
              },
              outputTokens: {
                total: u.candidatesTokenCount,
                text: u.candidatesTokenCount,
                reasoning: undefined,
              },
            },
            warnings: [],
          };
        },
      });
      await generateText({ model, prompt: PROMPT, telemetry });
      const costed = h.spans().filter((s) => s.attributes['burnrate.cost.source'] !== undefined);
      expect(costed).toHaveLength(1);
      expect(costed[0].instrumentationScope.name).toBe('@burnrate/instrumentation-google-genai');
      // gemini-2.5-flash: $0.30 / M input, $2.50 / M output
      expect(totalCost(h.spans())).toBeCloseTo((9 * 0.3 + 1 * 2.5) / 1e6, 12);
    } finally {
      instrumentation.disable();
    }
  });
});
