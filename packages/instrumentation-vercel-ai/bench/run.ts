/**
 * Per-call overhead of pricing the Vercel AI SDK's spans: generateText (ai 7.x with the
 * `@ai-sdk/otel` integration, @ai-sdk/openai against a local replay server) with a tracer provider
 * that only exports, and with Burnrate's processors added (BurnrateSpanProcessor reading the spans
 * through the AI SDK reader). The AI SDK's own telemetry is on in both.
 * Run: node --conditions=@burnrate/source packages/instrumentation-vercel-ai/bench/run.ts
 * Not a test: numbers depend on the machine.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import { BurnrateSpanProcessor } from '@burnrate/core';
import { exchange, loadRecording, startReplayServer } from '@burnrate/test-utils';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { embed, generateText } from 'ai';
import { registerAiSdkUsage } from '../src/index.ts';
import { agentLoopCases, enableStandIn } from './agent-loop.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ROUNDS = 5;
const WARMUP = 50;

registerAiSdkUsage();
const exporter = new InMemorySpanExporter();
const plainProvider = new TracerProvider({
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
const burnrateProvider = new TracerProvider({
  spanProcessors: [new BurnrateSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
const cm = new AsyncLocalStorageContextManager();
cm.enable();
context.setGlobalContextManager(cm);

const replay = await startReplayServer();
replay.add(
  loadRecording('vercel-ai-sdk/should-capture-OpenAI-provider-spans-correctly-with-recording.har'),
);
replay.add([
  exchange('POST', 'https://api.openai.com/v1/embeddings', {
    object: 'list',
    data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 7, total_tokens: 7 },
  }),
]);
const openai = createOpenAI({ apiKey: 'k', baseURL: `${replay.url}/v1` });
const telemetry = { integrations: [new OpenTelemetry()] };

const cases: { name: string; call: () => Promise<unknown> }[] = [
  {
    name: 'generateText',
    call: () => generateText({ model: openai('gpt-3.5-turbo'), prompt: 'hi', telemetry }),
  },
  {
    name: 'embed',
    call: () =>
      embed({ model: openai.embedding('text-embedding-3-small'), value: 'hi', telemetry }),
  },
];

function use(provider: TracerProvider): void {
  trace.disable();
  trace.setGlobalTracerProvider(provider);
}

async function measure(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call();
  exporter.reset();
  // CPU time of this process (user + system), not wall time: the machine is shared, and the
  // replay server runs in this process, so both sides pay for it alike.
  const start = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    await call();
    exporter.reset();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / ITERATIONS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  '| ai 7.x call (@ai-sdk/otel on) | export only (CPU µs/call) | + Burnrate processors (CPU µs/call) | ratio |',
);
console.log('| --- | ---: | ---: | ---: |');
for (const c of cases) {
  const plainRuns: number[] = [];
  const tracedRuns: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    use(plainProvider);
    plainRuns.push(await measure(c.call));
    use(burnrateProvider);
    tracedRuns.push(await measure(c.call));
  }
  const plain = median(plainRuns);
  const traced = median(tracedRuns);
  console.log(
    `| ${c.name} | ${plain.toFixed(1)} | ${traced.toFixed(1)} | ${(traced / plain).toFixed(3)} |`,
  );
}
// The agent hooks (call scope, run, tool scope, gate check), over the same spans and processors.
enableStandIn();
use(burnrateProvider);
const loopPlain: number[] = [];
const loopHooked: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  loopPlain.push(await measure(agentLoopCases.plain));
  loopHooked.push(await measure(agentLoopCases.hooked));
}
console.log('');
console.log(
  '| ai 7 agent loop (2 calls, 1 tool; Burnrate processors on) | app passes @ai-sdk/otel per call (CPU µs/run) | one import: Burnrate stand-in, agent hooks included (CPU µs/run) | ratio |',
);
console.log('| --- | ---: | ---: | ---: |');
const lp = median(loopPlain);
const lh = median(loopHooked);
console.log(
  `| generateText with tools | ${lp.toFixed(1)} | ${lh.toFixed(1)} | ${(lh / lp).toFixed(3)} |`,
);
await replay.close();
await plainProvider.shutdown();
await burnrateProvider.shutdown();
