import {
  benchRow,
  benchTracerProvider,
  compareCpu,
  BENCH_ONLY as ONLY,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import { GoogleGenAI, Models } from '@google/genai';
import { generateExchange, streamExchange } from '../src/fixtures.ts';
import { GoogleGenAIInstrumentation } from '../src/index.ts';

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const replay = await startReplayServer();
const instrumentation = new GoogleGenAIInstrumentation();
instrumentation.setTracerProvider(benchProvider);
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

console.log(
  `| @google/genai call | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |`,
);
console.log(`| --- | ---: | ---: | ---: | ---: |`);
for (const c of cases.filter((k) => k.name.includes(ONLY))) {
  c.add();
  const r = await compareCpu(c.call, c.call, (on) =>
    on ? instrumentation.enable() : instrumentation.disable(),
  );
  console.log(benchRow(c.name, r));
}
instrumentation.disable();
await replay.close();
await benchProvider.shutdown();
await tracing.shutdown();
