/**
 * Per-call overhead of the @google/genai instrumentation: the same calls against a local replay
 * server with the instrumentation disabled and enabled (spans priced by BurnrateSpanProcessor,
 * exported to memory). Run: node --conditions=@burnrate/source packages/instrumentation-google-genai/bench/run.ts
 * Not a test: numbers depend on the machine.
 */

import {
  compareCpuPerCall,
  cpuBenchRow,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
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

console.log(`| @google/genai call | plain (CPU µs/call) | instrumented (CPU µs/call) | ratio |`);
console.log(`| --- | ---: | ---: | ---: |`);
for (const c of cases) {
  c.add();
  const r = await compareCpuPerCall(c.call, {
    warmup: WARMUP,
    iterations: ITERATIONS,
    rounds: ROUNDS,
    setInstrumented: (on) => (on ? instrumentation.enable() : instrumentation.disable()),
    reset: () => tracing.reset(),
  });
  console.log(cpuBenchRow(c.name, r));
}
instrumentation.disable();
await replay.close();
await tracing.shutdown();
