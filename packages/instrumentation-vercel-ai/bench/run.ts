/**
 * Per-call overhead of pricing the Vercel AI SDK's spans: generateText (ai 7.x with the
 * `@ai-sdk/otel` integration, @ai-sdk/openai against a local replay server) with a tracer provider
 * that only exports, and with Burnrate's processors added (BurnrateSpanProcessor reading the spans
 * through the AI SDK reader). The AI SDK's own telemetry is on in both. Then the agent loop of
 * agent-loop.ts, with and without the stand-in. Sides alternate (each first every other round),
 * each after a full collection when `gc` is exposed, and one event-loop turn follows every call.
 * Run: node --expose-gc --conditions=@burnrate/source packages/instrumentation-vercel-ai/bench/run.ts
 * (BENCH_ITERATIONS calls a side per round, default 200; BENCH_ROUNDS rounds, default 5).
 * Not a test: numbers depend on the machine.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import { BurnrateSpanProcessor } from '@burnrate/core';
import { exchange, loadHar, startReplayServer } from '@burnrate/test-utils';
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
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
  loadHar('vercel-ai-sdk/should-capture-OpenAI-provider-spans-correctly-with-recording.har'),
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
// Each provider's own integration, on that provider's tracer: `@ai-sdk/otel` has its own copy of
// `@opentelemetry/api`, whose global tracer, taken before a provider is registered, is a no-op for
// good (and one taken after follows the first provider only), so neither column made a span.
const telemetryOf = (provider: TracerProvider) => ({
  integrations: [new OpenTelemetry({ tracer: provider.getTracer('gen_ai') })],
});
const telemetryBy = new Map([plainProvider, burnrateProvider].map((p) => [p, telemetryOf(p)]));
let telemetry = telemetryOf(plainProvider);

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
  telemetry = telemetryBy.get(provider) ?? telemetry;
}

/**
 * One turn of the event loop after each call, as I/O gives an app: a model answering from an
 * in-process `fetch` never leaves the microtask queue, and what a call leaves for the next turn
 * (an agent run's end and its `invoke_agent` span) would pile up, unmeasured, until the loop ends.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** With `--expose-gc` (as bench/run.ts runs it): each side starts with no garbage of the other's. */
const collect = (globalThis as { gc?: () => void }).gc;

async function measure(call: () => Promise<unknown>): Promise<number> {
  collect?.();
  for (let i = 0; i < WARMUP; i++) {
    await call();
    await turn();
  }
  exporter.reset();
  // CPU time of this process (user + system), not wall time: the machine is shared, and the
  // replay server runs in this process, so both sides pay for it alike.
  const start = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    await call();
    await turn();
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
    // Each side first every other round: neither always runs on the other's leftovers.
    const sides: [TracerProvider, number[]][] = [
      [plainProvider, plainRuns],
      [burnrateProvider, tracedRuns],
    ];
    for (const [provider, runs] of r % 2 ? sides.reverse() : sides) {
      use(provider);
      runs.push(await measure(c.call));
    }
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
const loops: [() => Promise<unknown>, number[]][] = [
  [agentLoopCases.none, []],
  [agentLoopCases.plain, []],
  [agentLoopCases.hooked, []],
];
for (let r = 0; r < ROUNDS; r++) {
  for (const [call, runs] of r % 2 ? [...loops].reverse() : loops) runs.push(await measure(call));
}
const [ln, lp, lh] = loops.map(([, runs]) => median(runs));
console.log('');
console.log(
  '| ai 7 agent loop (2 calls, 1 tool; Burnrate processors on) | no telemetry (CPU µs/run) | app passes @ai-sdk/otel per call (CPU µs/run) | one import: Burnrate stand-in, agent hooks included (CPU µs/run) | ratio to the app’s |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(
  `| generateText with tools | ${ln.toFixed(1)} | ${lp.toFixed(1)} | ${lh.toFixed(1)} | ${(lh / lp).toFixed(3)} |`,
);
/** The spans one run leaves (the run's own span is made a tick after the run ends). */
async function spansOf(call: () => Promise<unknown>): Promise<number> {
  exporter.reset();
  await call();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const n = exporter.getFinishedSpans().length;
  exporter.reset();
  return n;
}
const [sn, sp, sh] = [
  await spansOf(agentLoopCases.none),
  await spansOf(agentLoopCases.plain),
  await spansOf(agentLoopCases.hooked),
];
console.log('');
console.log(
  `Spans per run: ${sn} without telemetry, ${sp} with the app's integration, ${sh} with the stand-in. Added by the one import: ${(lh - lp).toFixed(1)} µs per run over the app's integration (${((lh - lp) / 2).toFixed(1)} µs per model call), ${(lh - ln).toFixed(1)} µs over no telemetry (${((lh - ln) / Math.max(sh, 1)).toFixed(1)} µs per span).`,
);
await replay.close();
await plainProvider.shutdown();
await burnrateProvider.shutdown();
