import { describe, expect, it } from 'vitest';
import { assertPricedCall } from './bench-cpu.ts';
import { converseEventStream } from './event-stream.ts';
import { loadHar } from './har.ts';
import { createReplayRequestHandler } from './replay-aws-handler.ts';
import { createReplayFetch } from './replay-fetch.ts';
import { exchange } from './replay-server.ts';
import { setupTracing } from './tracing.ts';

const MESSAGE = 'anthropic/should-set-attributes-in-span-for-messages.har';
const STREAM = 'anthropic/should-set-attributes-in-span-for-messages-streaming.har';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return chunks;
}

describe('createReplayFetch', () => {
  it('answers each call with a fresh Response carrying the recorded body and headers', async () => {
    const replay = createReplayFetch(loadHar(MESSAGE));
    const init = { method: 'POST', body: JSON.stringify({ model: 'claude-3-opus-20240229' }) };
    const first = await replay.fetch('https://api.anthropic.com/v1/messages', init);
    const second = await replay.fetch(new URL('https://api.anthropic.com/v1/messages'), init);
    expect(first).not.toBe(second);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/json');
    const a = (await first.json()) as { usage: { input_tokens: number; output_tokens: number } };
    const b = (await second.json()) as typeof a;
    expect(a.usage).toEqual(b.usage);
    expect(a.usage.input_tokens).toBe(17);
    expect(replay.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ['POST', '/v1/messages', { model: 'claude-3-opus-20240229' }],
      ['POST', '/v1/messages', { model: 'claude-3-opus-20240229' }],
    ]);
  });

  it('streams a recorded SSE body, in the exchange parts when it has them', async () => {
    const replay = createReplayFetch(loadHar(STREAM));
    const res = await replay.fetch(new Request('https://x/v1/messages', { method: 'POST' }));
    const text = await res.text();
    expect(text.startsWith('event: message_start')).toBe(true);
    expect(text).toContain('"type":"message_stop"');

    const parted = createReplayFetch();
    parted.add([
      {
        ...exchange('GET', 'https://x/parts', ''),
        parts: [Buffer.from('data: 1\n\n'), Buffer.from('data: 2\n\n')],
      },
    ]);
    const body = (await parted.fetch('https://x/parts')).body;
    const chunks = await readAll(body as ReadableStream<Uint8Array>);
    expect(chunks.map(String)).toEqual(['data: 1\n\n', 'data: 2\n\n']);
  });

  it('matches like the replay server: responders first, version prefix fallback, 404 naming the key', async () => {
    const replay = createReplayFetch([exchange('POST', 'https://x/chat', { n: 1 })], {
      record: false,
    });
    replay.respond('POST', '/chat', (req) =>
      exchange('POST', 'https://x/chat', { echo: (req.json as { q: string }).q }),
    );
    expect(
      await (await replay.fetch('https://x/chat', { method: 'POST', body: '{"q":"a"}' })).json(),
    ).toEqual({ echo: 'a' });
    expect(await (await replay.fetch('https://x/v2/chat', { method: 'POST' })).json()).toEqual({
      n: 1,
    });
    const missing = await replay.fetch('https://x/embed', { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('no recording for POST /embed');
    expect(replay.requests).toEqual([expect.objectContaining({ path: '/chat' })]);
  });
});

describe('createReplayRequestHandler', () => {
  it('serves the recording to an AWS-style request, event streams as Node Readable parts', async () => {
    const titan = loadHar(
      'bedrock/Amazon-Titan--should-set-request-and-response-attributes-in-span-for-given-prompt.har',
    );
    const stream = converseEventStream([['messageStart', { role: 'assistant' }]]);
    const handler = createReplayRequestHandler(titan);
    handler.add([
      {
        ...exchange('POST', 'https://bedrock/model/us.amazon.nova-pro-v1:0/converse-stream', ''),
        headers: { 'content-type': 'application/vnd.amazon.eventstream' },
        body: stream,
        parts: [stream.subarray(0, 10), stream.subarray(10)],
      },
    ]);
    const invoke = await handler.handle({
      method: 'POST',
      path: '/model/amazon.titan-text-express-v1/invoke',
      headers: { 'Content-Type': 'application/json' },
      body: '{"inputText":"x"}',
    });
    expect(invoke.response.statusCode).toBe(200);
    const json = JSON.parse(Buffer.concat(await readAll(invoke.response.body)).toString()) as {
      inputTextTokenCount: number;
      results: { tokenCount: number }[];
    };
    expect([json.inputTextTokenCount, json.results[0].tokenCount]).toEqual([8, 15]);
    expect(handler.requests[0]).toMatchObject({
      path: '/model/amazon.titan-text-express-v1/invoke',
      headers: { 'content-type': 'application/json' },
      json: { inputText: 'x' },
    });

    const converse = await handler.handle({
      method: 'POST',
      path: '/model/us.amazon.nova-pro-v1%3A0/converse-stream',
      headers: {},
    });
    const parts = await readAll(converse.response.body);
    expect(parts.map((p) => p.length)).toEqual([10, stream.length - 10]);
    expect(Buffer.concat(parts).equals(stream)).toBe(true);

    const missing = await handler.handle({ method: 'POST', path: '/model/m/invoke', headers: {} });
    expect(missing.response.statusCode).toBe(404);
    expect(Buffer.concat(await readAll(missing.response.body)).toString()).toContain(
      'no recording for POST /model/m/invoke',
    );
  });
});

describe('assertPricedCall', () => {
  it('passes a call that ends a priced span and fails loudly on one that does not', async () => {
    const tracing = setupTracing();
    try {
      const tracer = tracing.provider.getTracer('bench-check');
      const span = (attributes: Record<string, string | number>) => async () =>
        tracer.startSpan('chat gpt-4o-mini', { attributes }).end();
      const chat = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
      };
      await assertPricedCall(tracing, 'priced', span(chat));
      await expect(assertPricedCall(tracing, 'no span', async () => {})).rejects.toThrow(
        'bench sanity check: "no span" made no span priced with burnrate.cost.usd; spans: none',
      );
      const unknown = span({ ...chat, 'gen_ai.request.model': 'no-such-model' });
      await expect(assertPricedCall(tracing, 'unknown model', unknown)).rejects.toThrow(
        /made no span priced.*source=unpriced/,
      );
      await assertPricedCall(tracing, 'unknown model', unknown, 'not in the catalog');
    } finally {
      await tracing.shutdown();
    }
  });
});
