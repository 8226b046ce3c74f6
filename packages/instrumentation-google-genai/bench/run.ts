// Per-call overhead of the Google Gen AI instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-google-genai/bench/run.ts
// The real client (@google/genai) given an in-memory fetch serving the responses
// (`httpOptions.fetch` with createReplayFetch: a fresh Response per call, SSE parsed from a
// ReadableStream as from the network), like the OpenAI bench: no loopback HTTP, whose 0.5–1 ms a
// call and its noise would swamp the difference, so the rows compare with the OpenAI peers'
// in-memory budget. Plain and instrumented rounds alternate, the instrumentation disabled and
// enabled between them.
// CPU time per call (process.cpuUsage), plain and instrumented in alternating rounds, medians;
// BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a
// case-name filter) set the sample. Prints a markdown table.
import {
  benchToggledCalls,
  benchTracerProvider,
  createReplayFetch,
  setupTracing,
  type ToggledCase,
} from '@burnrate/test-utils';
import { GoogleGenAI, Models } from '@google/genai';
import { generateExchange, streamExchange } from '../src/fixtures.ts';
import { GoogleGenAIInstrumentation } from '../src/index.ts';

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
// record: false: no per-call request parsing in the timed transport.
const replay = createReplayFetch([], { record: false });
const instrumentation = new GoogleGenAIInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@google/genai', { Models });
const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { fetch: replay.fetch } });

const cases: ToggledCase[] = [
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

await benchToggledCalls({
  client: '@google/genai',
  instrumentation,
  tracing,
  provider: benchProvider,
  cases,
});
