import {
  benchRow,
  benchTracerProvider,
  compareCpu,
  BENCH_ONLY as ONLY,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import * as cohere from 'cohere-ai';
import { v2ChatExchange, v2RerankExchange, v2StreamExchange } from '../src/fixtures.ts';
import { CohereInstrumentation } from '../src/index.ts';

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const replay = await startReplayServer();
const instrumentation = new CohereInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('cohere-ai', cohere);
const client = new cohere.CohereClientV2({ token: 'k', environment: replay.url });
const messages = [{ role: 'user' as const, content: 'hi' }];

const cases: { name: string; add: () => void; call: () => Promise<unknown> }[] = [
  {
    name: 'v2 chat',
    add: () => replay.add(v2ChatExchange()),
    call: () => client.chat({ model: 'command-r', messages }),
  },
  {
    name: 'v2 chatStream (6 events)',
    add: () => replay.add(v2StreamExchange()),
    call: async () => {
      for await (const _ of await client.chatStream({ model: 'command-r', messages })) {
        /* drain */
      }
    },
  },
  {
    name: 'v2 rerank',
    add: () => replay.add(v2RerankExchange(1)),
    call: () => client.rerank({ model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'] }),
  },
];

console.log(
  `| cohere-ai call | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |`,
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
