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
import { earlyEndRun } from './openai-early-end.ts';
import { LONG_STREAM_CHUNKS, longSse, memoryRun } from './openai-memory.ts';

const require = createRequire(import.meta.url);
const variant = process.argv[2] ?? 'bare-v7';
/**
 * `calls` (default): per-call overhead; `early-end`: event-loop delay while streams end early;
 * `memory`: heap over 100,000 calls and one 10,000-chunk stream (openai-memory.ts).
 */
const mode = process.argv[3] ?? 'calls';
const ITER = Number(process.env.BENCH_ITERATIONS ?? 3000);
const CHUNKS = 100;
/**
 * Calls made before each measured loop (`BENCH_WARMUP`, at most 3 s of them): what a service pays
 * per call is the steady state, after the JIT has compiled the path. With a few hundred calls, a
 * variant's first operation still carried much of its warm-up (OpenTelemetry's own added CPU per
 * chat call read 34.5 µs after 3,000 calls and 19.3 µs after 15,000).
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);
const WARMUP_MAX_MS = 3000;

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
const SHORT_CHUNKS = 5;
function shortSse(): string {
  let s = '';
  for (let i = 0; i < SHORT_CHUNKS; i++)
    s += `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`;
  s += `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 20, completion_tokens: SHORT_CHUNKS, total_tokens: 25 } })}\n\n`;
  return `${s}data: [DONE]\n\n`;
}
const sseShort = shortSse();
const embedding = JSON.stringify({
  object: 'list',
  data: [{ object: 'embedding', index: 0, embedding: Array.from({ length: 8 }, (_, i) => i / 8) }],
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 5, total_tokens: 5 },
});

let longStream: string | undefined;
const fakeFetch = async (url: unknown, init?: { body?: unknown }): Promise<Response> => {
  const body = JSON.parse(String(init?.body ?? '{}')) as {
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    max_tokens?: number;
  };
  if (String(url).endsWith('/embeddings')) {
    return new Response(embedding, { headers: { 'content-type': 'application/json' } });
  }
  if (body.stream && mode === 'early-end') {
    // A server that sends no usage, whatever it is asked.
    return new Response(sseWithout, { headers: { 'content-type': 'text/event-stream' } });
  }
  if (body.stream && body.max_tokens === LONG_STREAM_CHUNKS) {
    longStream ??= longSse(base, LONG_STREAM_CHUNKS);
    return new Response(longStream, { headers: { 'content-type': 'text/event-stream' } });
  }
  if (body.stream && body.max_tokens === SHORT_CHUNKS) {
    return new Response(sseShort, { headers: { 'content-type': 'text/event-stream' } });
  }
  if (body.stream) {
    return new Response(body.stream_options?.include_usage ? sseWith : sseWithout, {
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return new Response(chat, { headers: { 'content-type': 'application/json' } });
};

let exported = 0;
let firstSpanEndMs: number | undefined;
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
  // `otel-priced`: the OTel instrumentation's spans priced by Burnrate's span processor (a
  // foreign GenAI span: what a service with another instrumentation gets from Burnrate).
  if (variant.startsWith('burnrate') || variant.startsWith('otel-priced')) {
    // The very chain @burnrate/auto runs: pricing and label caps, budget scopes, the cost meter
    // (metering on, its exporter never due), then the batch export with its drop counting.
    // BENCH_FROM=dist (bench/openai.ts): the built package, as a user runs it; else the sources.
    const from = process.env.BENCH_FROM === 'dist' ? 'dist' : 'src';
    const ext = from === 'dist' ? 'js' : 'ts';
    const { burnrateSpanProcessors } = (await import(
      `../packages/auto/${from}/processors.${ext}`
    )) as typeof import('../packages/auto/src/processors.ts');
    const { warmBurnrateSpanPath } = (await import(
      `../packages/auto/${from}/processors.${ext}`
    )) as typeof import('../packages/auto/src/processors.ts');
    const { meteringFromEnv } = (await import(
      `../packages/auto/${from}/metering.${ext}`
    )) as typeof import('../packages/auto/src/metering.ts');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const metering = meteringFromEnv(
      { OTEL_METRIC_EXPORT_INTERVAL: String(2 ** 31 - 1) },
      resourceFromAttributes({ 'service.name': 'bench' }),
    );
    processors.push(...burnrateSpanProcessors(new DropExporter(), metering));
    // As startBurnrate does: the span path's first run in idle tasks (warm-up.ts).
    if (process.env.BENCH_NO_WARM_UP !== '1') warmBurnrateSpanPath(true);
  } else {
    processors.push(new BatchSpanProcessor({ exporter: new DropExporter() }));
  }
  // Early-end mode: how long the first span's processors take (from the first one's onEnding to
  // the last one's onEnd), the span path's first run in the process.
  if (mode === 'early-end' && !variant.startsWith('bare')) {
    let from = 0;
    processors.unshift({
      onStart() {},
      onEnding() {
        from = performance.now();
      },
      onEnd() {},
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    } as SpanProcessor);
    processors.push({
      onStart() {},
      onEnd() {
        firstSpanEndMs ??= performance.now() - from;
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    });
  }
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
  embeddings: { create(body: object): Promise<unknown> };
}

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(fn: () => Promise<void>, n: number) {
  const warmUntil = performance.now() + WARMUP_MAX_MS;
  for (let i = 0; i < WARMUP && performance.now() < warmUntil; i++) await fn();
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
    // One sampling session at a time: BENCH_ALLOC_PROFILE's is running around this one.
    allocBytesPerCall: process.env.BENCH_ALLOC_PROFILE
      ? 0
      : await allocatedPerCall(fn, Math.min(n, 1000)),
  };
}

/**
 * Bytes allocated per call, collected or not, from V8's sampling heap profiler (every 512 bytes
 * on average): heap growth over a loop is not that, since the collector runs in between.
 */
async function allocatedPerCall(fn: () => Promise<void>, n: number): Promise<number> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < n; i++) await fn();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  let bytes = 0;
  const walk = (node: { selfSize: number; children: (typeof node)[] }) => {
    bytes += node.selfSize;
    for (const c of node.children) walk(c);
  };
  walk(profile.head as unknown as { selfSize: number; children: never[] });
  return bytes / n;
}

/**
 * `BENCH_ALLOC_PROFILE=<file>`: sample every allocation of the measured calls (collected ones
 * included: what a call allocates, not what it keeps) and write the profile there.
 */
async function allocationProfile<T>(fn: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_ALLOC_PROFILE;
  if (!file) return fn();
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const result = await fn();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

const { client, provider, version } = await setup();
const messages = [{ role: 'user', content: 'Say hello' }];

if (mode === 'memory') {
  const result = await memoryRun(
    variant,
    client,
    () => provider.forceFlush(),
    () => exported,
  );
  console.log(JSON.stringify(result));
  process.exit(0);
}

if (mode === 'early-end') {
  const result = await earlyEndRun(
    variant,
    client,
    () => provider.forceFlush(),
    () => exported,
  );
  console.log(JSON.stringify({ ...result, firstSpanEndMs, version }));
  process.exit(0);
}

/** `BENCH_ONLY=short,embeddings` measures only those phases (profiling one path); the rest report 0. */
const only = process.env.BENCH_ONLY?.split(',');
const skip = { wallNs: 0, cpuNs: 0, heapBytesPerCall: 0, allocBytesPerCall: 0 };
const phase = async (name: string, fn: () => Promise<Measure>): Promise<Measure> =>
  !only || only.includes(name) ? fn() : skip;
interface Measure {
  wallNs: number;
  cpuNs: number;
  heapBytesPerCall: number;
  allocBytesPerCall: number;
}

/** One call of each measured operation. */
const calls = {
  chat: async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  },
  stream: async () => {
    const s = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    for await (const _ of s) {
      /* drain */
    }
  },
  short: async () => {
    const s = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      max_tokens: SHORT_CHUNKS,
    });
    for await (const _ of s) {
      /* drain */
    }
  },
  embeddings: async () => {
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'Say hello' });
  },
};

if (mode === 'instructions') {
  // Under an instruction counter (bench/instructions.ts): BENCH_WARMUP then BENCH_ITERATIONS calls
  // of one operation, no clock anywhere (a time cap would make the count depend on the speed).
  const fn = calls[(only?.[0] ?? 'chat') as keyof typeof calls];
  for (let i = 0; i < WARMUP; i++) await fn();
  for (let i = 0; i < ITER; i++) await fn();
  await provider.forceFlush();
  process.exit(0);
}

const call = await phase('chat', () => allocationProfile(() => measure(calls.chat, ITER)));
const stream = await phase('stream', () =>
  measure(calls.stream, Math.max(200, Math.floor(ITER / 5))),
);
const shortStream = await phase('short', () => measure(calls.short, ITER));
const embeddings = await phase('embeddings', () => measure(calls.embeddings, ITER));
await provider.forceFlush();
console.log(
  JSON.stringify({
    variant,
    version,
    call,
    stream,
    shortStream,
    embeddings,
    chunks: CHUNKS,
    spans: exported,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  }),
);
