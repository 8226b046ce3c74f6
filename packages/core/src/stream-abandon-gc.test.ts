import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { recordModelUsage } from './cost.ts';
import { traceModelCall } from './model-call.ts';
import { wrapStreamInPlace } from './span-stream.ts';
import { useStreamTracing } from './test-support/stream-tracing.ts';
import { countTextTokens } from './token-count.ts';

// The idle timer far away: only garbage collection can end these spans within the test.
const { exporter, tracer } = useStreamTracing('10m');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PROMPT = 'Tell me a joke about OpenTelemetry';
const PROMPT_TOKENS = countTextTokens(PROMPT, 'gpt-4o-mini');
type Chunk = { text?: string; usage?: { input: number; output: number } };

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

async function* chunks(): AsyncGenerator<Chunk> {
  yield { text: 'Why did' };
  yield { usage: { input: 14, output: 9 } };
}

function streamingCall(): Promise<FakeStream> {
  return traceModelCall({
    tracer,
    name: 'chat gpt-4o-mini',
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
    request: {},
    gate: {
      provider: 'openai',
      operation: 'chat',
      model: 'gpt-4o-mini',
      maxOutputTokens: 0,
      estimateInputTokens: () => 0,
    },
    applyGate: (r) => r,
    call: async () => new FakeStream(() => chunks()),
    onResult: (call, stream) => {
      let usage: Chunk['usage'];
      wrapStreamInPlace<Chunk>(
        stream,
        {
          onChunk(c) {
            usage = c.usage ?? usage;
            return undefined;
          },
          onEnd(end) {
            recordModelUsage(call.span, {
              provider: 'openai',
              requestModel: 'gpt-4o-mini',
              tokens: usage ?? { input: PROMPT_TOKENS, output: 0 },
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

async function collectUntil(n: number, ms = 10_000): Promise<number> {
  const until = Date.now() + ms;
  while (exporter.getFinishedSpans().length < n && Date.now() < until) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return exporter.getFinishedSpans().length;
}

describe('a stream dropped without being read', () => {
  it('200 streams created, never read and garbage-collected: 200 spans end with their cost', async () => {
    await Promise.all(Array.from({ length: 200 }, () => streamingCall().then(() => undefined)));
    expect(await collectUntil(200)).toBe(200);
    for (const s of exporter.getFinishedSpans()) {
      expect(s.attributes['burnrate.stream.abandoned']).toBe(true);
      expect(s.attributes['burnrate.cost.source']).toBe('estimated');
      expect(s.attributes['gen_ai.usage.input_tokens']).toBe(PROMPT_TOKENS);
      expect(s.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
    }
  });

  it('an iterator still held after its stream object is dropped keeps its span open', async () => {
    const iterator = (await streamingCall())[Symbol.asyncIterator]();
    await collectUntil(1, 300);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    while (!(await iterator.next()).done) {
      /* drain */
    }
    const [span] = exporter.getFinishedSpans();
    expect(span.attributes['burnrate.cost.source']).toBe('usage');
    expect(span.attributes['burnrate.stream.abandoned']).toBeUndefined();
  });

  it('an iterator taken, partly read and dropped ends its span', async () => {
    await (async () => {
      const iterator = (await streamingCall())[Symbol.asyncIterator]();
      await iterator.next();
    })();
    expect(await collectUntil(1)).toBe(1);
    expect(exporter.getFinishedSpans()[0].attributes['burnrate.stream.abandoned']).toBe(true);
  });
});
