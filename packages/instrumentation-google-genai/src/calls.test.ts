import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { generateExchange } from './fixtures.ts';
import { gemini, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

const URL = 'https://generativelanguage.googleapis.com/models/gemini-2.5-flash:generateContent';

describe.each(SDKS)('@google/genai v$major: several API calls behind one method', (sdk) => {
  it('automatic function calling: one span per billed API call, each with its own usage', async () => {
    h.replay.add([
      exchange('POST', URL, {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 6, totalTokenCount: 46 },
        modelVersion: 'gemini-2.5-flash',
      }),
    ]);
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'Sunny, 21°C.', {
        promptTokenCount: 60,
        candidatesTokenCount: 8,
      }),
    );
    const weather = {
      tool: async () => ({
        functionDeclarations: [
          {
            name: 'get_weather',
            parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
      }),
      callTool: async () => [
        { functionResponse: { name: 'get_weather', response: { forecast: 'sunny' } } },
      ],
    };
    const ai = gemini(sdk, h.replay.url);
    const r = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config: { tools: [weather] },
    });
    expect(r.text).toBe('Sunny, 21°C.');
    expect(h.replay.requests).toHaveLength(2);
    const spans = h.tracing.spans();
    expect(spans.map((s) => s.attributes['gen_ai.usage.input_tokens'])).toEqual([40, 60]);
    // gemini-2.5-flash: $0.30 / M input, $2.50 / M output; each call priced once
    const total = spans.reduce((n, s) => n + Number(s.attributes['burnrate.cost.usd']), 0);
    expect(total).toBeCloseTo((100 * 0.3 + 14 * 2.5) / 1e6, 12);
  });
});
