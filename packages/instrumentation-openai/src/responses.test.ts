import { countTextTokens } from '@burnrate/core';
import { exchange, loadHar, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, endedSpans, SDKS, useHarness } from './test-setup.ts';

const h = useHarness({ providers: [] });

describe.each(SDKS)('openai v$major: Responses API, embeddings, legacy completions', (sdk) => {
  it('prices a Responses call from its usage', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-responses-non-streaming.har'));
    const openai = client(sdk, h.replay.url);
    await openai.responses.create({
      model: 'gpt-4o-mini',
      input: 'Tell me a joke about OpenTelemetry',
    });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(14);
    expect(a['gen_ai.usage.output_tokens']).toBe(26);
    expect(a['burnrate.cost.usd']).toBeCloseTo((14 * 0.15 + 26 * 0.6) / 1e6, 12);
  });

  it('prices cached Responses input at the cache price (recorded cached tokens)', async () => {
    h.replay.add(
      loadHar(
        'openai/should-set-cache-read-input-tokens-in-span-for-responses-with-cached-tokens.har',
      ),
    );
    const openai = client(sdk, h.replay.url);
    await openai.responses.create({ model: 'gpt-4o-mini', input: 'x' });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(14);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(13);
    // gpt-4o-mini: 1 uncached x $0.15/M, 13 cached x $0.075/M, 26 out x $0.60/M
    expect(a['burnrate.cost.cache_read_usd']).toBeCloseTo((13 * 0.075) / 1e6, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo((1 * 0.15 + 13 * 0.075 + 26 * 0.6) / 1e6, 12);
  });

  it('reads usage from the response.completed event of a Responses stream', async () => {
    const response = {
      id: 'resp_1',
      object: 'response',
      model: 'gpt-4o-mini-2024-07-18',
      status: 'completed',
    };
    h.replay.add([
      exchange(
        'POST',
        'https://api.openai.com/v1/responses',
        sseBody(
          [
            {
              type: 'response.created',
              sequence_number: 0,
              response: { ...response, status: 'in_progress', usage: null },
            },
            {
              type: 'response.output_text.delta',
              sequence_number: 1,
              item_id: 'm',
              output_index: 0,
              content_index: 0,
              delta: 'Hello',
            },
            {
              type: 'response.completed',
              sequence_number: 2,
              response: {
                ...response,
                usage: {
                  input_tokens: 30,
                  input_tokens_details: { cached_tokens: 0 },
                  output_tokens: 5,
                  output_tokens_details: { reasoning_tokens: 0 },
                  total_tokens: 35,
                },
              },
            },
          ],
          false,
        ),
        { contentType: 'text/event-stream' },
      ),
    ]);
    const openai = client(sdk, h.replay.url);
    const stream = await openai.responses.create({
      model: 'gpt-4o-mini',
      input: 'x',
      stream: true,
    });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(30);
    expect(a['burnrate.cost.source']).toBe('usage');
  });

  it('records embeddings as a model call with operation embeddings', async () => {
    h.replay.add([
      exchange('POST', 'https://api.openai.com/v1/embeddings', {
        object: 'list',
        // The SDK asks for base64 unless told otherwise; the API then sends float32 bytes.
        data: [
          {
            object: 'embedding',
            index: 0,
            embedding: Buffer.from(new Float32Array([0.5, 0.25]).buffer).toString('base64'),
          },
        ],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 8, total_tokens: 8 },
      }),
    ]);
    const openai = client(sdk, h.replay.url);
    const r = await openai.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'The food was delicious',
    });
    expect(r.data[0].embedding).toEqual([0.5, 0.25]);
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.operation.name']).toBe('embeddings');
    expect(a['gen_ai.usage.input_tokens']).toBe(8);
    // text-embedding-3-small: $0.02 / M tokens
    expect(a['burnrate.cost.usd']).toBeCloseTo((8 * 0.02) / 1e6, 12);
  });

  it('prices legacy completions from the recording', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-completion.har'));
    const openai = client(sdk, h.replay.url);
    await openai.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Tell me a joke about OpenTelemetry',
    });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.operation.name']).toBe('text_completion');
    expect(a['gen_ai.usage.input_tokens']).toBe(8);
    expect(a['gen_ai.usage.output_tokens']).toBe(16);
    // gpt-3.5-turbo-instruct: $1.50 / M input, $2.00 / M output
    expect(a['burnrate.cost.usd']).toBeCloseTo((8 * 1.5 + 16 * 2) / 1e6, 12);
  });

  it('estimates a legacy completion stream without usage (recorded)', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-completion.har'));
    const openai = client(sdk, h.replay.url);
    const stream = await openai.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Tell me a joke about OpenTelemetry',
      stream: true,
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.text ?? '';
    const a = (await endedSpans(h))[0].attributes;
    expect(a['burnrate.cost.source']).toBe('estimated');
    expect(a['gen_ai.usage.output_tokens']).toBe(countTextTokens(text, 'gpt-3.5-turbo-instruct'));
  });
});
