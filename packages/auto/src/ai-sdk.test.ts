import { exchange, loadHar, type ReceivedSpan, sseBody } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, useAppHarness } from './test-support/app-harness.ts';

/**
 * Vercel AI SDK apps with no telemetry code at all (test-apps/ai-sdk): the one import prices
 * generateText, streamText and embed, one priced span per call, and no prompt or output text.
 */
const apps = appsDir('ai-sdk');

const h = useAppHarness();

const base = {
  id: 'chatcmpl-s',
  object: 'chat.completion.chunk',
  created: 1763906400,
  model: 'gpt-4o-mini-2024-07-18',
};
const stream = exchange(
  'POST',
  'http://replay/v1/chat/completions',
  sseBody([
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '4' } }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    { ...base, choices: [], usage: { prompt_tokens: 14, completion_tokens: 1, total_tokens: 15 } },
  ]),
  { contentType: 'text/event-stream' },
);
const embedding = exchange('POST', 'http://replay/v1/embeddings', {
  object: 'list',
  data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 7, total_tokens: 7 },
});

async function runApp(app: string): Promise<ReceivedSpan[]> {
  const service = `ai-sdk-${app}`;
  const result = await h.runJson(apps, [app], service);
  expect(result).toEqual({ generated: 19, text: '4', dimensions: 2 });
  const mine = (s: ReceivedSpan) => s.resource['service.name'] === service;
  await h.receiver.waitForSpans(
    1,
    (s) => mine(s) && s.attributes['burnrate.cost.usd'] !== undefined,
  );
  await new Promise((r) => setTimeout(r, 500));
  return h.receiver.spans.filter(mine);
}

const priced = (spans: ReceivedSpan[]) =>
  spans.filter((s) => s.attributes['burnrate.cost.usd'] !== undefined);
const texts = (spans: ReceivedSpan[]) =>
  spans.flatMap((s) => Object.values(s.attributes)).filter((v) => String(v).includes('2+2'));

const CHAT = (input: number, output: number) => (input * 0.5 + output * 1.5) / 1e6; // gpt-3.5-turbo
const STREAM = (14 * 0.15 + 1 * 0.6) / 1e6; // gpt-4o-mini
const EMBED = (7 * 0.02) / 1e6; // text-embedding-3-small

describe('the Vercel AI SDK with the one import and no telemetry code', () => {
  it('ai 7 (@ai-sdk/otel installed): generateText, streamText, embed each one priced span; the app’s own later registration takes over', async () => {
    const har = loadHar(
      'vercel-ai-sdk/should-capture-OpenAI-provider-spans-correctly-with-recording.har',
    );
    h.replay.add([...har, ...har]);
    h.replay.add([stream, embedding]);
    const spans = await runApp('ai7.mjs');
    const costs = priced(spans).map((s) => [s.name, s.attributes['burnrate.cost.usd']]);
    expect(costs).toHaveLength(4);
    expect(costs.filter(([n]) => n === 'chat gpt-3.5-turbo')).toHaveLength(2);
    for (const [name, cost] of costs) {
      if (name === 'chat gpt-3.5-turbo') expect(cost).toBeCloseTo(CHAT(19, 8), 12);
      else if (name === 'chat gpt-4o-mini') expect(cost).toBeCloseTo(STREAM, 12);
      else expect([name, cost]).toEqual(['embeddings text-embedding-3-small', EMBED]);
    }
    // No call traced twice: one chat span per model call.
    expect(spans.filter((s) => s.name === 'chat gpt-3.5-turbo')).toHaveLength(2);
    // Burnrate's integration records no prompt or output: only the app's own call may carry text.
    const withText = new Set(spans.filter((s) => texts([s]).length > 0).map((s) => s.traceId));
    expect(withText.size).toBeLessThanOrEqual(1);
    const ours = spans.filter((s) => s.name === 'chat gpt-4o-mini' || s.name.startsWith('embed'));
    for (const s of ours) expect(withText.has(s.traceId)).toBe(false);
  });

  it('ai 6: generateText and streamText each one priced span; calls with its own telemetry on are priced once', async () => {
    const har = loadHar(
      'vercel-ai-sdk/should-transform-OpenAI-provider-spans-correctly-with-recording.har',
    );
    h.replay.add([...har, ...har]);
    h.replay.add([stream, stream, embedding]);
    const spans = await runApp('ai6.mjs');
    const costs = priced(spans).map((s) => [s.name, s.attributes['burnrate.cost.usd']]);
    expect(costs).toEqual(
      expect.arrayContaining([
        ['chat gpt-3.5-turbo', expect.closeTo(CHAT(19, 10), 12)],
        ['chat gpt-4o-mini', expect.closeTo(STREAM, 12)],
        ['ai.generateText.doGenerate', expect.closeTo(CHAT(19, 10), 12)],
        ['ai.streamText.doStream', expect.closeTo(STREAM, 12)],
      ]),
    );
    expect(costs).toHaveLength(4);
    expect(texts(spans)).toEqual([]);
  });
});
