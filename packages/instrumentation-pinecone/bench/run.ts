// Per-call overhead of the Pinecone instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-pinecone/bench/run.ts
// The real client against a local replay server; each operation alternates rounds of plain calls
// (the SDK's original method, captured before patching) and instrumented calls (span, attributes,
// pricing, Burnrate's span processor, the cost meter, a batch exporter). Prints a markdown table.
// CPU time per call (process.cpuUsage), plain and instrumented in alternating rounds, medians;
// BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (200) and BENCH_ONLY (a
// case-name filter) set the sample. Prints a markdown table.

import {
  benchRow,
  benchTracerProvider,
  compareCpu,
  exchange,
  CPU_TABLE_HEADER as HEADER,
  BENCH_ITERATIONS as ITERATIONS,
  BENCH_ONLY as ONLY,
  BENCH_ROUNDS as ROUNDS,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import * as Pinecone from '@pinecone-database/pinecone';
import { PineconeInstrumentation } from '../src/index.ts';

const replay = await startReplayServer();
const HOST = 'https://index.svc.pinecone.io';
const matches = Array.from({ length: 10 }, (_, i) => ({ id: `doc-${i}`, score: 1 - i / 100 }));
replay.add([
  exchange('POST', `${HOST}/query`, { matches, namespace: 'docs', usage: { readUnits: 6 } }),
  exchange('POST', `${HOST}/vectors/upsert`, { upsertedCount: 10 }),
  exchange('GET', `${HOST}/vectors/fetch`, {
    vectors: Object.fromEntries(matches.map((m) => [m.id, { id: m.id, values: [0.1, 0.2] }])),
    namespace: 'docs',
    usage: { readUnits: 1 },
  }),
]);

type Proto = Record<string, (this: unknown, ...args: unknown[]) => Promise<unknown>>;
const proto = Pinecone.Index.prototype as unknown as Proto;
const plain = { query: proto.query, upsert: proto.upsert, fetch: proto.fetch };

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const instrumentation = new PineconeInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@pinecone-database/pinecone', Pinecone);

const index = new Pinecone.Pinecone({ apiKey: 'bench' }).index({
  name: 'bench',
  host: replay.url,
  namespace: 'docs',
});
const vector = Array.from({ length: 1536 }, (_, i) => Math.sin(i));
const records = Array.from({ length: 10 }, (_, i) => ({ id: `doc-${i}`, values: vector }));
const cases: { name: string; method: keyof typeof plain; arg: unknown }[] = [
  { name: 'query (top_k 10, 1536 dims)', method: 'query', arg: { topK: 10, vector } },
  { name: 'upsert (10 x 1536 dims)', method: 'upsert', arg: { records } },
  { name: 'fetch (10 ids)', method: 'fetch', arg: { ids: matches.map((m) => m.id) } },
];

console.log(
  `Pinecone instrumentation overhead, Node ${process.version}, CPU µs per call, median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
for (const c of cases.filter((k) => k.name.includes(ONLY))) {
  const r = await compareCpu(
    () => plain[c.method].call(index, c.arg),
    () => (index as unknown as Proto)[c.method](c.arg),
  );
  console.log(benchRow(c.name, r));
}
await replay.close();
await benchProvider.shutdown();
await tracing.shutdown();
