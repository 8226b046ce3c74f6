import { expectAbortUnchanged, readAborting } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { streamExchange } from './fixtures.ts';
import { gemini, SDKS, useHarness, vertex } from './test-setup.ts';

const h = useHarness();

const PIECES = ['Spans ', 'are ', 'breadcrumbs ', 'for requests.'];
const USAGE = { promptTokenCount: 11, candidatesTokenCount: 9, thoughtsTokenCount: 40 };

const settle = () => new Promise((r) => setTimeout(r, 20));

describe.each(SDKS)('@google/genai v$major: generateContentStream', (sdk) => {
  it('records the final usageMetadata once, after the caller saw every chunk', async () => {
    h.replay.add(streamExchange('gemini-2.5-flash', PIECES, USAGE));
    const ai = gemini(sdk, h.replay.url);
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'x',
    });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe(PIECES.join(''));
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.usage.input_tokens']).toBe(11);
    expect(a['gen_ai.usage.output_tokens']).toBe(49);
    expect(a['gen_ai.usage.reasoning.output_tokens']).toBe(40);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['STOP']);
    // gemini-2.5-flash: $0.30 / M input, $2.50 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((11 * 0.3 + 49 * 2.5) / 1e6, 12);
    expect(a['burnrate.cost.source']).toBe('usage');
  });

  it('ends the span once on early break, with the usage seen so far', async () => {
    h.replay.add(streamExchange('gemini-2.5-flash', PIECES, USAGE));
    const ai = gemini(sdk, h.replay.url);
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'x',
    });
    for await (const _ of stream) break;
    await settle();
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).not.toBe(2);
    // The first event carried a running count of 1 candidate token.
    expect(spans[0].attributes['gen_ai.usage.output_tokens']).toBe(41);
  });

  it('ends the span once on abort, and the caller sees the same outcome as without Burnrate', async () => {
    const outcome = async () => {
      h.replay.add(streamExchange('gemini-2.5-flash', PIECES, USAGE));
      const ai = gemini(sdk, h.replay.url);
      const controller = new AbortController();
      const stream = await ai.models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'x',
        config: { abortSignal: controller.signal },
      });
      return readAborting(stream, () => controller.abort());
    };
    await expectAbortUnchanged(outcome, h, settle);
  });

  it('streams chat messages through Vertex AI with one span each', async () => {
    h.replay.add(
      streamExchange(
        'gemini-2.5-pro',
        ['Hi', '!'],
        { promptTokenCount: 3, candidatesTokenCount: 2 },
        true,
      ),
    );
    const ai = vertex(sdk, h.replay.url);
    const chat = ai.chats.create({ model: 'gemini-2.5-pro' });
    const stream = await chat.sendMessageStream({ message: 'Hello' });
    for await (const _ of stream) {
      /* drain */
    }
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['gen_ai.provider.name']).toBe('gcp.vertex_ai');
    // gemini-2.5-pro: $1.25 / M input, $10 / M output
    expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo((3 * 1.25 + 2 * 10) / 1e6, 12);
  });
});
