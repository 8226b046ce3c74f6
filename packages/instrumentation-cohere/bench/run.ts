// Per-call overhead of the Cohere instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-cohere/bench/run.ts
// The real client (cohere-ai, CohereClientV2) given an in-memory `fetch` serving the responses
// (createReplayFetch: a fresh Response per call, SSE parsed from a ReadableStream as from the
// network), like the OpenAI bench: no loopback HTTP, whose 0.5–1 ms a call and its noise would
// swamp the difference, so the rows compare with the OpenAI peers' in-memory budget. Plain and
// instrumented rounds alternate, the instrumentation disabled and enabled between them.
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
import * as cohere from 'cohere-ai';
import { v2ChatExchange, v2RerankExchange, v2StreamExchange } from '../src/fixtures.ts';
import { CohereInstrumentation } from '../src/index.ts';

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
// record: false: no per-call request parsing in the timed transport.
const replay = createReplayFetch([], { record: false });
const instrumentation = new CohereInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('cohere-ai', cohere);
const client = new cohere.CohereClientV2({ token: 'k', fetch: replay.fetch, maxRetries: 0 });
const messages = [{ role: 'user' as const, content: 'hi' }];

const cases: ToggledCase[] = [
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

await benchToggledCalls({
  client: 'cohere-ai',
  instrumentation,
  tracing,
  provider: benchProvider,
  cases,
  // The floor of the chat rows: the same call in a bare span, instrumentation off (what any span
  // around this client's call costs, before Burnrate's own work).
  floors: ['v2 chat', 'v2 chatStream (6 events)'],
});
