import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();

/**
 * No recording has cache writes of both TTLs, so this reply is written field for field in the
 * Messages API's published format (docs: prompt caching, "1-hour cache duration"): `usage` reports
 * uncached input, cache reads and cache writes apart, and splits the writes by TTL.
 */
const CACHED_REPLY = {
  id: 'msg_01Cache',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5-20251001',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 50,
    cache_creation_input_tokens: 3000,
    cache_read_input_tokens: 10000,
    cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
    output_tokens: 200,
    service_tier: 'standard',
  },
};

// Claude Haiku 4.5, per million tokens (Anthropic's price list): input $1, output $5,
// cache read $0.10, 5-minute cache write $1.25, 1-hour cache write $2.
const EXPECTED = {
  input: (50 * 1) / 1e6,
  cacheRead: (10000 * 0.1) / 1e6,
  cacheWrite: (1000 * 1.25 + 2000 * 2) / 1e6,
  output: (200 * 5) / 1e6,
};

describe.each(SDKS)('@anthropic-ai/sdk $label: prompt caching', (sdk) => {
  it('counts cache reads and writes into the input, and prices 5-minute and 1-hour writes apart', async () => {
    h.replay.add([exchange('POST', 'https://api.anthropic.com/v1/messages', CACHED_REPLY)]);
    const anthropic = client(sdk, h.replay.url);
    await anthropic.messages.create({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 256,
      system: [
        { type: 'text', text: 'long context', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [{ role: 'user', content: 'question' }],
    });
    const spans = h.tracing.spans();
    expect(spans).toHaveLength(1);
    const a = spans[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(50 + 10000 + 3000);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(10000);
    expect(a['gen_ai.usage.cache_creation.input_tokens']).toBe(3000);
    expect(a['gen_ai.usage.output_tokens']).toBe(200);
    expect(a['burnrate.cost.input_usd']).toBeCloseTo(EXPECTED.input, 12);
    expect(a['burnrate.cost.cache_read_usd']).toBeCloseTo(EXPECTED.cacheRead, 12);
    expect(a['burnrate.cost.cache_write_usd']).toBeCloseTo(EXPECTED.cacheWrite, 12);
    expect(a['burnrate.cost.output_usd']).toBeCloseTo(EXPECTED.output, 12);
    expect(a['burnrate.cost.usd']).toBeCloseTo(0.0073, 12);
  });

  it('prices writes without a TTL split as 5-minute writes', async () => {
    const { cache_creation: _, ...usage } = CACHED_REPLY.usage;
    h.replay.add([
      exchange('POST', 'https://api.anthropic.com/v1/messages', { ...CACHED_REPLY, usage }),
    ]);
    const anthropic = client(sdk, h.replay.url);
    await anthropic.messages.create({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'question' }],
    });
    const a = h.tracing.spans()[0].attributes;
    expect(a['gen_ai.usage.input_tokens']).toBe(13050);
    expect(a['burnrate.cost.cache_write_usd']).toBeCloseTo((3000 * 1.25) / 1e6, 12);
  });
});
