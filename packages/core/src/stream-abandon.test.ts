import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { costAttributes, recordModelUsage } from './cost.ts';
import { traceModelCall } from './model-call.ts';
import { wrapStreamInPlace } from './span-stream.ts';
import { streamIdleTimeoutFromEnv } from './stream-watch.ts';
import { useStreamTracing } from './test-support/stream-tracing.ts';
import { countTextTokens } from './token-count.ts';

// A short idle timeout for this file (read when the first stream is wrapped).
const { exporter, tracer } = useStreamTracing('100ms');

const PROMPT = 'Tell me a joke about OpenTelemetry';
const PROMPT_TOKENS = countTextTokens(PROMPT, 'gpt-4o-mini');
interface Chunk {
  text?: string;
  usage?: { input: number; output: number };
}

/** Shaped like the openai SDK's Stream: an `iterator` factory, a controller, an own iterator. */
class FakeStream {
  controller = new AbortController();
  iterator: () => AsyncIterator<Chunk>;
  constructor(iterator: () => AsyncIterator<Chunk>) {
    this.iterator = iterator;
  }
  [Symbol.asyncIterator]() {
    return this.iterator();
  }
}

async function* chunks(delayMs = 0): AsyncGenerator<Chunk> {
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  yield { text: 'Why did' };
  yield { text: ' the span' };
  yield { usage: { input: 14, output: 9 } };
}

/** A streaming model call the way the instrumentations record one (usage, else an estimate). */
function streamingCall(delayMs = 0): Promise<FakeStream> {
  return traceModelCall({
    tracer,
    name: 'chat gpt-4o-mini',
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
    request: { prompt: PROMPT },
    gate: {
      provider: 'openai',
      operation: 'chat',
      model: 'gpt-4o-mini',
      maxOutputTokens: 0,
      estimateInputTokens: () => 0,
    },
    applyGate: (r) => r,
    call: async () => new FakeStream(() => chunks(delayMs)),
    onResult: (call, stream) => {
      let text = '';
      let usage: Chunk['usage'];
      wrapStreamInPlace<Chunk>(
        stream,
        {
          onChunk(c) {
            text += c.text ?? '';
            usage = c.usage ?? usage;
            return c.usage ? false : undefined; // the caller did not ask for usage: hidden
          },
          onEnd(end) {
            recordModelUsage(call.span, {
              provider: 'openai',
              requestModel: 'gpt-4o-mini',
              tokens: usage ?? {
                input: PROMPT_TOKENS,
                output: countTextTokens(text, 'gpt-4o-mini'),
              },
              source: usage ? 'usage' : 'estimated',
            });
            call.end(end.error);
          },
        },
        stream.controller.signal,
      );
      return 'open';
    },
  }) as Promise<FakeStream>;
}

async function waitForSpans(n: number, ms = 5000): Promise<ReadableSpan[]> {
  const until = Date.now() + ms;
  while (exporter.getFinishedSpans().length < n && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return exporter.getFinishedSpans();
}

const ESTIMATE_USD = costAttributes({
  provider: 'openai',
  requestModel: 'gpt-4o-mini',
  tokens: { input: PROMPT_TOKENS, output: 0 },
  source: 'estimated',
})['burnrate.cost.usd'];

describe('a stream nobody reads', () => {
  it('200 streams created and never read: 200 spans end, each with its estimated cost', async () => {
    const streams = await Promise.all(Array.from({ length: 200 }, () => streamingCall()));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const spans = await waitForSpans(200);
    expect(spans).toHaveLength(200);
    for (const s of spans) {
      expect(s.attributes['burnrate.stream.abandoned']).toBe(true);
      expect(s.attributes['burnrate.cost.source']).toBe('estimated');
      expect(s.attributes['gen_ai.usage.input_tokens']).toBe(PROMPT_TOKENS);
      expect(s.attributes['gen_ai.usage.output_tokens']).toBe(0);
      expect(s.attributes['burnrate.cost.usd']).toBe(ESTIMATE_USD);
      expect(s.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(streams).toHaveLength(200); // kept alive all along: the timer ended them, not GC

    // Read after the timeout: the caller sees the stream as ever; no second span, no second cost.
    const seen: Chunk[] = [];
    for await (const c of streams[0]) seen.push(c);
    expect(seen).toEqual([{ text: 'Why did' }, { text: ' the span' }]);
    await new Promise((r) => setTimeout(r, 250));
    expect(exporter.getFinishedSpans()).toHaveLength(200);
    expect(exporter.getFinishedSpans()[0].attributes['burnrate.cost.usd']).toBe(ESTIMATE_USD);
  });

  it('a stream read in time, or waiting on a slow source, is never marked abandoned', async () => {
    const quick = await streamingCall();
    const slow = await streamingCall(300); // the first chunk comes after 3 idle timeouts
    const read = async (s: FakeStream) => {
      for await (const _ of s) {
        /* drain */
      }
    };
    await Promise.all([read(quick), read(slow)]);
    const spans = await waitForSpans(2);
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.attributes['burnrate.stream.abandoned']).toBeUndefined();
      expect(s.attributes['burnrate.cost.source']).toBe('usage');
      expect(s.attributes['gen_ai.usage.input_tokens']).toBe(14);
    }
  });

  it('a consumer pausing longer than the timeout between reads is never cut off', async () => {
    const stream = await streamingCall();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((r) => setTimeout(r, 300)); // 3 idle timeouts with no read pending
    while (!(await iterator.next()).done) {
      /* drain */
    }
    const [span] = await waitForSpans(1);
    expect(span.attributes['burnrate.stream.abandoned']).toBeUndefined();
    expect(span.attributes['burnrate.cost.source']).toBe('usage');
  });

  it('the idle timer never keeps the process alive', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const script = `
      import { wrapStreamInPlace } from './span-stream.ts';
      const s = { [Symbol.asyncIterator]: async function* () { yield 1; } };
      wrapStreamInPlace(s, { onChunk() {}, onEnd() {} });
      globalThis.keep = s;
    `;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { ...process.env, BURNRATE_STREAM_IDLE_TIMEOUT: '60s' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('BURNRATE_STREAM_IDLE_TIMEOUT', () => {
  it('takes a duration or whole milliseconds; 0 turns the timer off', () => {
    const read = (v: string) =>
      streamIdleTimeoutFromEnv({ BURNRATE_STREAM_IDLE_TIMEOUT: v }, () => {});
    expect(streamIdleTimeoutFromEnv({}, () => {})).toBe(60_000);
    expect(read('90s')).toBe(90_000);
    expect(read('500ms')).toBe(500);
    expect(read('5m')).toBe(300_000);
    expect(read('2500')).toBe(2500);
    expect(read('0')).toBe(0);
  });

  it('reports a bad value once, naming the variable, and keeps the default', () => {
    const report: string[] = [];
    expect(
      streamIdleTimeoutFromEnv({ BURNRATE_STREAM_IDLE_TIMEOUT: 'soon' }, (m) => report.push(m)),
    ).toBe(60_000);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/^BURNRATE_STREAM_IDLE_TIMEOUT: expected a duration/);
  });
});
