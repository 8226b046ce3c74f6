/**
 * Per-call overhead of the @google/genai instrumentation: the same calls against a local replay
 * server with the instrumentation disabled and enabled (spans priced by BurnrateSpanProcessor,
 * exported to memory). Run: node --conditions=@burnrate/source packages/instrumentation-google-genai/bench/run.ts
 * Not a test: numbers depend on the machine.
 */

import { setupTracing, startReplayServer } from '@burnrate/test-utils';
import { GoogleGenAI, Models } from '@google/genai';
import { generateExchange, streamExchange } from '../src/fixtures.ts';
import { GoogleGenAIInstrumentation } from '../src/index.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ROUNDS = 5;
const WARMUP = 50;

const tracing = setupTracing();
const replay = await startReplayServer();
const instrumentation = new GoogleGenAIInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.patchExports('@google/genai', { Models });
const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: replay.url } });

const cases: { name: string; add: () => void; call: () => Promise<unknown> }[] = [
  {
    name: 'generateContent',
    add: () =>
      replay.add(
        generateExchange('gemini-2.5-flash', 'ok', {
          promptTokenCount: 9,
          candidatesTokenCount: 2,
        }),
      ),
    call: () => ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
  },
  {
    name: 'generateContentStream (4 chunks)',
    add: () =>
      replay.add(
        streamExchange('gemini-2.5-flash', ['a', 'b', 'c', 'd'], {
          promptTokenCount: 9,
          candidatesTokenCount: 4,
        }),
      ),
    call: async () => {
      for await (const _ of await ai.models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'hi',
      })) {
        /* drain */
      }
    },
  },
];

async function measure(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call();
  tracing.reset();
  // CPU time of this process (user + system), not wall time: the machine is shared, and the
  // replay server runs in this process, so both sides pay for it alike.
  const start = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    await call();
    tracing.reset();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / ITERATIONS;
}

console.log(`| @google/genai call | plain (CPU µs/call) | instrumented (CPU µs/call) | ratio |`);
console.log(`| --- | ---: | ---: | ---: |`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const c of cases) {
  c.add();
  // Alternating rounds, median of each side: warm-up and machine noise hit both alike.
  const plainRuns: number[] = [];
  const tracedRuns: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    instrumentation.disable();
    plainRuns.push(await measure(c.call));
    instrumentation.enable();
    tracedRuns.push(await measure(c.call));
  }
  const plain = median(plainRuns);
  const traced = median(tracedRuns);
  console.log(
    `| ${c.name} | ${plain.toFixed(1)} | ${traced.toFixed(1)} | ${(traced / plain).toFixed(3)} |`,
  );
}
instrumentation.disable();
await replay.close();
await tracing.shutdown();
