import { countTextTokens } from '@burnrate/core';
import { describe, expect, it } from 'vitest';
import { geminiEmbedExchange, vertexEmbedExchange } from './fixtures.ts';
import { gemini, SDKS, useHarness, vertex } from './test-setup.ts';

const h = useHarness();

describe.each(SDKS)('@google/genai v$major: embedContent', (sdk) => {
  it('Vertex AI: prices the reported per-instance token counts', async () => {
    h.replay.add(vertexEmbedExchange('gemini-embedding-001', [3, 5]));
    const ai = vertex(sdk, h.replay.url);
    const r = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['hello there', 'general kenobi'],
    });
    expect(r.embeddings).toHaveLength(2);
    const [span] = h.tracing.spans();
    expect(span.name).toBe('embeddings gemini-embedding-001');
    const a = span.attributes;
    expect(a['gen_ai.operation.name']).toBe('embeddings');
    expect(a['gen_ai.usage.input_tokens']).toBe(8);
    expect(a['gen_ai.usage.output_tokens']).toBe(0);
    expect(a['burnrate.cost.source']).toBe('usage');
    // gemini-embedding-001: $0.15 / M input tokens
    expect(a['burnrate.cost.usd']).toBeCloseTo((8 * 0.15) / 1e6, 12);
  });

  it('Gemini API: returns no usage, so the input is counted locally and marked estimated', async () => {
    h.replay.add(geminiEmbedExchange('gemini-embedding-001', 2));
    const ai = gemini(sdk, h.replay.url);
    const texts = ['hello there', 'general kenobi'];
    await ai.models.embedContent({ model: 'gemini-embedding-001', contents: texts });
    const a = h.tracing.spans()[0].attributes;
    const expected = countTextTokens(texts[0]) + countTextTokens(texts[1]);
    expect(a['gen_ai.usage.input_tokens']).toBe(expected);
    expect(a['burnrate.cost.source']).toBe('estimated');
    expect(a['burnrate.cost.usd']).toBeCloseTo((expected * 0.15) / 1e6, 12);
  });
});
