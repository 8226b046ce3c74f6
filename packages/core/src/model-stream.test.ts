import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { ModelUsage } from './cost.ts';
import { ModelStreamRecord, wrapCallStream } from './model-stream.ts';
import { startCallSpan } from './span-call.ts';
import { useStreamTracing } from './test-support/stream-tracing.ts';

const { exporter, tracer } = useStreamTracing('60s');

interface Chunk {
  text?: string;
  usage?: { input: number; output: number };
}

/** Keeps the last usage seen; `failAtEnd` makes recording throw. */
class TestRecord extends ModelStreamRecord<Chunk> {
  tokens: { input: number; output: number } | undefined;
  readonly failAtEnd: boolean;
  constructor(call: ConstructorParameters<typeof ModelStreamRecord>[0], failAtEnd = false) {
    super(call);
    this.failAtEnd = failAtEnd;
  }
  protected read(chunk: Chunk): void {
    if (chunk.usage) this.tokens = chunk.usage;
  }
  protected usage(): ModelUsage {
    if (this.failAtEnd) throw new Error('pricing broke');
    return {
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      tokens: this.tokens ?? { input: 0, output: 0 },
      source: 'usage',
    };
  }
}

class Stream {
  readonly chunks: Chunk[];
  constructor(chunks: Chunk[]) {
    this.chunks = chunks;
  }
  async *[Symbol.asyncIterator]() {
    yield* this.chunks;
  }
}

const chunks: Chunk[] = [{ text: 'a' }, { text: 'b' }, { usage: { input: 1000, output: 200 } }];
const open = () =>
  startCallSpan({
    tracer,
    name: 'chat gpt-4o-mini',
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
  });

describe('wrapCallStream and ModelStreamRecord', () => {
  it('records the usage the chunks carried, priced, when the stream ends; the caller sees every chunk', async () => {
    const call = open();
    const stream = new Stream(chunks);
    expect(wrapCallStream(call, stream, new TestRecord(call))).toBe('open');
    const seen: Chunk[] = [];
    for await (const c of stream) seen.push(c);
    expect(seen).toEqual(chunks);
    const [span] = exporter.getFinishedSpans();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(1000);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(200);
    // gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
    expect(span.attributes['burnrate.cost.usd']).toBeCloseTo((1000 * 0.15 + 200 * 0.6) / 1e6, 12);
  });

  it('ends the span when recording fails, and the caller still sees the whole stream', async () => {
    const call = open();
    const stream = new Stream(chunks);
    wrapCallStream(call, stream, new TestRecord(call, true));
    const seen: Chunk[] = [];
    for await (const c of stream) seen.push(c);
    expect(seen).toEqual(chunks);
    expect(call.ended).toBe(true);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('ends the span once on an early break, with what was read so far', async () => {
    const call = open();
    const stream = new Stream(chunks);
    wrapCallStream(call, stream, new TestRecord(call));
    for await (const _ of stream) break;
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBe(0);
  });

  it('leaves an object it cannot wrap as it is, with the error on the still-open span', () => {
    const call = open();
    const notAStream = { data: [1, 2] };
    expect(wrapCallStream(call, notAStream, new TestRecord(call))).toBeUndefined();
    expect(notAStream).toEqual({ data: [1, 2] });
    call.end();
    const [span] = exporter.getFinishedSpans();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(
      span.events.some((e) =>
        String(e.attributes?.['exception.message']).includes('unrecognised stream shape'),
      ),
    ).toBe(true);
  });
});
