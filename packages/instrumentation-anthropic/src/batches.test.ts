import { exchange } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();
const MODEL = 'claude-haiku-4-5-20251001';

/** A Message Batch and its results, written field for field from the Message Batches API reference. */
function serveBatch(BATCH: string): void {
  h.replay.respond('GET', `/v1/messages/batches/${BATCH}`, () =>
    exchange('GET', `https://api.anthropic.com/v1/messages/batches/${BATCH}`, {
      id: BATCH,
      type: 'message_batch',
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 },
      ended_at: '2026-11-23T10:00:00Z',
      created_at: '2026-11-22T10:00:00Z',
      expires_at: '2026-11-23T10:00:00Z',
      cancel_initiated_at: null,
      results_url: `${h.replay.url}/v1/messages/batches/${BATCH}/results`,
    }),
  );
  const message = (id: string, usage: object) => ({
    custom_id: id,
    result: {
      type: 'succeeded',
      message: {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage,
      },
    },
  });
  const lines = [
    message('req-1', {
      input_tokens: 1000,
      output_tokens: 200,
      cache_read_input_tokens: 4000,
      cache_creation_input_tokens: 0,
    }),
    message('req-2', {
      input_tokens: 500,
      output_tokens: 100,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    }),
    {
      custom_id: 'req-3',
      result: {
        type: 'errored',
        error: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } },
      },
    },
  ];
  h.replay.respond('GET', `/v1/messages/batches/${BATCH}/results`, () =>
    exchange(
      'GET',
      `https://api.anthropic.com/v1/messages/batches/${BATCH}/results`,
      `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
      {
        contentType: 'application/binary',
      },
    ),
  );
}

// Claude Haiku 4.5: $1 in, $0.10 cache read, $5 out per million; batches are billed at 50 %.
const BATCH_COST = 0.5 * ((1500 * 1 + 4000 * 0.1 + 300 * 5) / 1e6);

describe.each(SDKS)('@anthropic-ai/sdk $label: message batch results', (sdk) => {
  it('records the succeeded requests usage once, at the batch price, however often the results are read', async () => {
    // Batches are recorded once per process: each SDK line reads its own batch.
    const BATCH = `msgbatch_01Hkc${sdk.label.replaceAll('.', '')}`;
    const anthropic = client(sdk, h.replay.url);
    for (let read = 0; read < 2; read++) {
      serveBatch(BATCH);
      const results = await anthropic.messages.batches.results(BATCH);
      let n = 0;
      for await (const r of results) if (r.custom_id) n++;
      expect(n).toBe(3);
    }
    const priced = h.tracing
      .spans()
      .filter(
        (s) =>
          s.attributes['burnrate.cost.source'] !== undefined ||
          s.attributes['gen_ai.usage.input_tokens'] !== undefined,
      );
    expect(priced).toHaveLength(1);
    const a = priced[0].attributes;
    expect(priced[0].name).toBe(`chat ${MODEL}`);
    expect(a['burnrate.batch.requests']).toBe(2);
    expect(a['gen_ai.usage.input_tokens']).toBe(5500);
    expect(a['gen_ai.usage.cache_read.input_tokens']).toBe(4000);
    expect(a['gen_ai.usage.output_tokens']).toBe(300);
    expect(a['burnrate.cost.usd']).toBeCloseTo(BATCH_COST, 12);
  });
});
