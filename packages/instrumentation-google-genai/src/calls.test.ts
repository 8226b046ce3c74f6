import { createRequire, registerHooks } from 'node:module';
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

describe('@google/genai loaded with require() (the CommonJS copy)', () => {
  it('is patched and traced like the ESM copy', async () => {
    // Vitest's workers run with `--conditions import`, which would hand require() the ESM build:
    // give this require() the conditions plain Node gives it, so it loads dist/node/index.cjs.
    registerHooks({
      resolve(specifier, ctx, next) {
        if (specifier === '@google/genai' && ctx.conditions.includes('require')) {
          return next(specifier, {
            ...ctx,
            conditions: ctx.conditions.filter((c) => c !== 'import' && c !== 'module'),
          });
        }
        return next(specifier, ctx);
      },
    });
    const require = createRequire(import.meta.url);
    const cjs = require('@google/genai') as typeof import('@google/genai');
    expect(cjs.Models).not.toBe(SDKS[0].Models);
    h.instrumentation.patchExports('@google/genai', cjs);
    h.replay.add(
      generateExchange('gemini-2.5-flash', 'ok', { promptTokenCount: 3, candidatesTokenCount: 1 }),
    );
    const ai = new cjs.GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: h.replay.url } });
    await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo((3 * 0.3 + 1 * 2.5) / 1e6, 12);
  });
});
