/**
 * One benchmark variant in its own process: `node --expose-gc openai-worker.ts <variant>`.
 * The SDK talks to an in-memory fetch (no network, no server in the process), so what is measured
 * is the SDK plus the instrumentation. Prints one JSON line.
 */
import { createRequire } from 'node:module';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

const require = createRequire(import.meta.url);
const variant = process.argv[2] ?? 'bare-v7';
const ITER = Number(process.env.BENCH_ITERATIONS ?? 3000);
const CHUNKS = 100;

const chat = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello there, how can I help?' },
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 20,
    completion_tokens: 8,
    total_tokens: 28,
    prompt_tokens_details: { cached_tokens: 0 },
  },
});
const base = {
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
};
function sse(includeUsage: boolean): string {
  let s = '';
  for (let i = 0; i < CHUNKS; i++)
    s += `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`;
  if (includeUsage)
    s += `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 20, completion_tokens: CHUNKS, total_tokens: 120 } })}\n\n`;
  return `${s}data: [DONE]\n\n`;
}
const sseWith = sse(true);
const sseWithout = sse(false);

const fakeFetch = async (_url: unknown, init?: { body?: unknown }): Promise<Response> => {
  const body = JSON.parse(String(init?.body ?? '{}')) as {
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
  };
  if (body.stream) {
    return new Response(body.stream_options?.include_usage ? sseWith : sseWithout, {
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return new Response(chat, { headers: { 'content-type': 'application/json' } });
};

let exported = 0;
class DropExporter implements SpanExporter {
  export(spans: unknown[], done: (r: { code: number }) => void) {
    exported += spans.length;
    done({ code: 0 });
  }
  shutdown() {
    return Promise.resolve();
  }
}

interface Patchable {
  getModuleDefinitions(): { patch?: (exports: unknown, version?: string) => unknown }[];
  setTracerProvider(p: TracerProvider): void;
  setMeterProvider(p: unknown): void;
}

async function setup() {
  const major = variant.endsWith('v6') ? 6 : 7;
  const sdkName = major === 6 ? 'openai-v6' : 'openai';
  const version = (require(`${sdkName}/version`) as { VERSION: string }).VERSION;
  const processors: SpanProcessor[] = [];
  if (!variant.startsWith('bare')) {
    const cm = new AsyncLocalStorageContextManager();
    cm.enable();
    context.setGlobalContextManager(cm);
  }
  if (variant.startsWith('burnrate')) {
    const { BurnrateSpanProcessor } = await import('@burnrate/core');
    processors.push(new BurnrateSpanProcessor() as unknown as SpanProcessor);
  }
  processors.push(new BatchSpanProcessor({ exporter: new DropExporter() }));
  const provider = new TracerProvider({ spanProcessors: processors });
  if (!variant.startsWith('bare')) trace.setGlobalTracerProvider(provider);
  const sdk = require(sdkName) as { OpenAI: new (o: object) => OpenAILike };
  if (variant.startsWith('burnrate')) {
    const { OpenAIInstrumentation } = await import('@burnrate/instrumentation-openai');
    const i = new OpenAIInstrumentation();
    i.setTracerProvider(provider);
    i.patchExports('openai', sdk);
  } else if (variant.startsWith('otel')) {
    const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai') as {
      OpenAIInstrumentation: new () => Patchable;
    };
    const i = new OpenAIInstrumentation();
    i.setTracerProvider(provider);
    i.setMeterProvider(metrics.getMeterProvider());
    for (const d of i.getModuleDefinitions()) d.patch?.(sdk, version);
  } else if (variant.startsWith('traceloop')) {
    const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai') as {
      OpenAIInstrumentation: new () => Patchable;
    };
    const i = new OpenAIInstrumentation();
    i.setTracerProvider(provider);
    for (const d of i.getModuleDefinitions()) d.patch?.(sdk, version);
  }
  const client = new sdk.OpenAI({
    apiKey: 'k',
    baseURL: 'http://bench.invalid/v1',
    fetch: fakeFetch,
    maxRetries: 0,
  });
  return { client, provider, version };
}

interface OpenAILike {
  chat: { completions: { create(body: object): Promise<AsyncIterable<unknown> & object> } };
}

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(fn: () => Promise<void>, n: number) {
  for (let i = 0; i < Math.min(300, n); i++) await fn();
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const wall = Number(process.hrtime.bigint() - t0) / n;
  const cpu = process.cpuUsage(cpu0);
  const heapPeak = process.memoryUsage().heapUsed - heap0;
  gc();
  return {
    wallNs: wall,
    cpuNs: ((cpu.user + cpu.system) * 1000) / n,
    heapBytesPerCall: heapPeak / n,
  };
}

const { client, provider, version } = await setup();
const messages = [{ role: 'user', content: 'Say hello' }];
const call = await measure(async () => {
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
}, ITER);
const stream = await measure(
  async () => {
    const s = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    for await (const _ of s) {
      /* drain */
    }
  },
  Math.max(200, Math.floor(ITER / 5)),
);
await provider.forceFlush();
console.log(
  JSON.stringify({
    variant,
    version,
    call,
    stream,
    chunks: CHUNKS,
    spans: exported,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  }),
);
