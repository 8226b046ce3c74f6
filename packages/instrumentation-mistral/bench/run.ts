// Per-call overhead of the Mistral instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-mistral/bench/run.ts
// The real client (@mistralai/mistralai) given an in-memory fetcher serving the responses
// (`httpClient: new HTTPClient({ fetcher })` with createReplayFetch: a fresh Response per call, SSE
// parsed from a ReadableStream as from the network), like the OpenAI bench: no loopback HTTP,
// whose 0.5–1 ms a call and its noise would swamp the difference, so the rows compare with the
// OpenAI peers' in-memory budget. Plain and instrumented rounds alternate, the instrumentation
// disabled and enabled between them.
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
import { HTTPClient, Mistral } from '@mistralai/mistralai';
import { chatExchange, embeddingsExchange, streamExchange } from '../src/fixtures.ts';
import { MistralInstrumentation } from '../src/index.ts';

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
// record: false: no per-call request parsing in the timed transport.
const replay = createReplayFetch([], { record: false });
const instrumentation = new MistralInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@mistralai/mistralai', { Mistral });
const client = new Mistral({
  apiKey: 'k',
  httpClient: new HTTPClient({ fetcher: replay.fetch }),
  retryConfig: { strategy: 'none' },
});
const messages = [{ role: 'user' as const, content: 'hi' }];
const usage = { prompt_tokens: 9, completion_tokens: 3 };

const cases: ToggledCase[] = [
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

await benchToggledCalls({
  client: '@mistralai/mistralai',
  instrumentation,
  tracing,
  provider: benchProvider,
  cases,
  // The floor of the chat rows: the same call in a bare span, instrumentation off (what any span
  // around this client's call costs, before Burnrate's own work).
  floors: ['chat.complete', 'chat.stream (4 chunks)'],
});
