import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { countChatTokens, setStreamIdleTimeout } from '@burnrate/core';
import { exchange, sseBody } from '@burnrate/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { client, SDKS, useHarness } from './test-setup.ts';

const h = useHarness();
afterEach(() => setStreamIdleTimeout(undefined));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MESSAGES = [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }];
const PROMPT_TOKENS = countChatTokens(MESSAGES, 'gpt-4o-mini');

/** `n` chat streams as OpenAI sends them (content chunks, then a usage-only chunk when asked). */
function respondWithStreams(n: number): void {
  const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1755182716 };
  const chunk = (delta: object, finish: string | null) => ({
    ...base,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, finish_reason: finish }],
    usage: null,
  });
  const body = sseBody([
    chunk({ role: 'assistant', content: 'Why did the span' }, null),
    chunk({ content: ' cross the road?' }, null),
    chunk({}, 'stop'),
    {
      ...base,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [],
      usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 },
    },
  ]);
  for (let i = 0; i < n; i++) {
    h.replay.respond('POST', '/v1/chat/completions', () =>
      exchange('POST', 'https://api.openai.com/v1/chat/completions', body, {
        contentType: 'text/event-stream',
      }),
    );
  }
}

async function waitFor(n: number, step: () => void = () => {}): Promise<void> {
  for (let i = 0; i < 250 && h.tracing.spans().length < n; i++) {
    step();
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectAbandonedEstimate(): void {
  for (const s of h.tracing.spans()) {
    expect(s.attributes['burnrate.stream.abandoned']).toBe(true);
    expect(s.attributes['burnrate.cost.source']).toBe('estimated');
    expect(s.attributes['gen_ai.usage.input_tokens']).toBe(PROMPT_TOKENS);
    expect(s.attributes['gen_ai.usage.output_tokens']).toBe(0);
    expect(s.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
    expect(s.status.code).not.toBe(2);
  }
}

describe.each(SDKS)('openai v$major: streams nobody reads', (sdk) => {
  it('200 streams created and kept but never read: 200 spans end after the idle timeout, once', async () => {
    respondWithStreams(200);
    setStreamIdleTimeout(100);
    const openai = client(sdk, h.replay.url);
    const streams = await Promise.all(
      Array.from({ length: 200 }, () =>
        openai.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }),
      ),
    );
    await waitFor(200);
    expect(h.tracing.spans()).toHaveLength(200);
    expectAbandonedEstimate();
    // Read after the timeout: the chunks the caller always got (usage chunk hidden), no second span.
    const chunks = [];
    for await (const chunk of streams[0]) chunks.push(chunk);
    expect(chunks).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.tracing.spans()).toHaveLength(200);
  });

  it('200 streams created and dropped unread: 200 spans end once they are collected', async () => {
    respondWithStreams(200);
    setStreamIdleTimeout(0); // timer off: only collection can end them
    const openai = client(sdk, h.replay.url);
    await Promise.all(
      Array.from({ length: 200 }, () =>
        openai.chat.completions
          .create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true })
          .then(() => undefined),
      ),
    );
    await waitFor(200, gc);
    expect(h.tracing.spans()).toHaveLength(200);
    expectAbandonedEstimate();
  });
});
