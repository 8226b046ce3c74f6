import {
  benchRow,
  benchTracerProvider,
  compareCpu,
  BENCH_ONLY as ONLY,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import { Mistral } from '@mistralai/mistralai';
import { chatExchange, embeddingsExchange, streamExchange } from '../src/fixtures.ts';
import { MistralInstrumentation } from '../src/index.ts';

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const replay = await startReplayServer();
const instrumentation = new MistralInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@mistralai/mistralai', { Mistral });
const client = new Mistral({
  apiKey: 'k',
  serverURL: replay.url,
  retryConfig: { strategy: 'none' },
});
const messages = [{ role: 'user' as const, content: 'hi' }];
const usage = { prompt_tokens: 9, completion_tokens: 3 };

const cases: { name: string; add: () => void; call: () => Promise<unknown> }[] = [
  {
    name: 'chat.complete',
    add: () => replay.add(chatExchange('mistral-small-latest', usage)),
    call: () => client.chat.complete({ model: 'mistral-small-latest', messages }),
  },
  {
    name: 'chat.stream (4 chunks)',
    add: () => replay.add(streamExchange('mistral-small-latest', ['a', 'b', 'c'], usage)),
    call: async () => {
      for await (const _ of await client.chat.stream({ model: 'mistral-small-latest', messages })) {
        /* drain */
      }
    },
  },
  {
    name: 'embeddings.create',
    add: () => replay.add(embeddingsExchange('mistral-embed', 5, 1)),
    call: () => client.embeddings.create({ model: 'mistral-embed', inputs: ['hi'] }),
  },
];

console.log(
  `| @mistralai/mistralai call | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |`,
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
