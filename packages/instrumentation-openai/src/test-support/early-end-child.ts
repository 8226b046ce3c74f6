/**
 * Run in a fresh process by event-loop.test.ts: the first stream of the process that ends without
 * usage (the server sends none, the caller breaks after two chunks), with the event loop's delay
 * measured from the stream's creation until its span has ended. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BurnrateSpanProcessor } from '@burnrate/core';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { OpenAIInstrumentation } from '../index.ts';

const model = process.argv[2] ?? 'gpt-4o-mini';
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
// A server that sends no usage, whatever it is asked.
const sse = `${Array.from({ length: 50 }, (_, i) => chunk(`word${i} `)).join('')}data: [DONE]\n\n`;
const fetch = async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } });

const cm = new AsyncLocalStorageContextManager();
cm.enable();
context.setGlobalContextManager(cm);
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({
  spanProcessors: [
    new BurnrateSpanProcessor() as unknown as SpanProcessor,
    new SimpleSpanProcessor({ exporter }),
  ],
});
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(provider);
instrumentation.patchExports('openai', { OpenAI });
const client = new OpenAI({ apiKey: 'k', baseURL: 'http://test.invalid/v1', fetch, maxRetries: 0 });

const histogram = monitorEventLoopDelay({ resolution: 1 });
await new Promise((r) => setTimeout(r, 100)); // let start-up settle
histogram.enable();
// And by hand: how late a 1 ms timer chain fires (catches a block the histogram may sample past).
// A timer is late when this thread runs something (the loop is blocked) or when it waits for a
// core (a loaded machine: other processes run). Linux tells the two apart per thread
// (/proc/self/task/<tid>/schedstat: ns run, ns waited for a core), so the lateness less that
// wait is what this thread's own work held the loop for.
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const waitedMs = (): number | undefined => {
  try {
    return Number(readFileSync(schedstat, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return undefined;
  }
};
let maxLateMs = 0;
let maxBlockedMs = 0;
let expected = performance.now() + 1;
let lastWaited = waitedMs();
let ticking = true;
const tick = () => {
  const now = performance.now();
  const late = now - expected;
  const waited = waitedMs();
  const blocked =
    waited === undefined || lastWaited === undefined ? late : late - (waited - lastWaited);
  lastWaited = waited;
  maxLateMs = Math.max(maxLateMs, late);
  maxBlockedMs = Math.max(maxBlockedMs, blocked);
  expected = now + 1;
  if (ticking) setTimeout(tick, 1);
};
setTimeout(tick, 1);
const stream = await client.chat.completions.create({
  model,
  messages: [{ role: 'user', content: 'Say hello' }],
  stream: true,
});
let n = 0;
let breakAt = 0;
for await (const _ of stream) {
  if (++n === 2) {
    breakAt = performance.now();
    break; // runs the iterator's return(): Burnrate ends the stream's span from there
  }
}
const breakMs = performance.now() - breakAt;
const t0 = performance.now();
while (exporter.getFinishedSpans().length === 0 && performance.now() - t0 < 15_000) {
  await new Promise((r) => setTimeout(r, 5));
}
const spanEndMs = performance.now() - t0;
await new Promise((r) => setTimeout(r, 50));
histogram.disable();
ticking = false;
const span = exporter.getFinishedSpans()[0];
console.log(
  JSON.stringify({
    breakMs,
    spanEndMs,
    maxDelayMs: Math.max(histogram.max / 1e6, maxLateMs),
    maxLateMs,
    maxBlockedMs,
    histogramMaxMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    p50DelayMs: histogram.percentile(50) / 1e6,
    source: span?.attributes['burnrate.cost.source'],
    costUsd: span?.attributes['burnrate.cost.usd'],
    inputTokens: span?.attributes['gen_ai.usage.input_tokens'],
    outputTokens: span?.attributes['gen_ai.usage.output_tokens'],
  }),
);
