// Per-call overhead of the Pinecone instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-pinecone/bench/run.ts
// The real client given an in-memory fetch (its `fetchApi` option; createReplayFetch: a fresh
// Response per call), like the OpenAI bench: no loopback HTTP, whose 0.5–1 ms a call and its
// noise would swamp the difference, so the rows compare with the OpenAI peers' in-memory budget.
// Every operation alternates rounds of plain calls (the SDK's original method, captured before
// patching) and instrumented calls (span, attributes, pricing: reads from their read units, upserts
// by a prices-file rule the bench writes; Burnrate's span processor, the cost meter, a batch
// exporter).
// CPU time per call (process.cpuUsage), plain and instrumented in alternating rounds, medians;
// BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a
// case-name filter) set the sample. Prints a markdown table.

import {
  assertPricedCall,
  benchRow,
  benchTracerProvider,
  compareCpu,
  createReplayFetch,
  exchange,
  floorRow,
  CPU_TABLE_HEADER as HEADER,
  BENCH_ITERATIONS as ITERATIONS,
  BENCH_ONLY as ONLY,
  BENCH_ROUNDS as ROUNDS,
  setupTracing,
  useBenchPricesFile,
} from '@burnrate/test-utils';
import * as Pinecone from '@pinecone-database/pinecone';
import { PineconeInstrumentation } from '../src/index.ts';

// Reads are priced from their read units by the catalog; writes report no units (README "Cost"),
// so upserts are priced by a prices-file rule, as a user's would (read once, on first use): every
// row times the priced path.
useBenchPricesFile([
  'version: 1',
  'vector_databases:',
  '  - db_system: pinecone',
  '    operation: upsert',
  '    per_vector: 0.000002',
]);
// record: false: no per-call request parsing in the timed transport.
const replay = createReplayFetch([], { record: false });
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

const index = new Pinecone.Pinecone({ apiKey: 'bench', fetchApi: replay.fetch }).index({
  name: 'bench',
  host: HOST,
  namespace: 'docs',
});
const vector = Array.from({ length: 1536 }, (_, i) => Math.sin(i));
const records = Array.from({ length: 10 }, (_, i) => ({ id: `doc-${i}`, values: vector }));
const cases: { name: string; method: keyof typeof plain; arg: unknown }[] = [
  { name: 'query (top_k 10, 1536 dims)', method: 'query', arg: { topK: 10, vector } },
  { name: 'upsert (10 x 1536 dims)', method: 'upsert', arg: { records } },
  { name: 'fetch (10 ids)', method: 'fetch', arg: { ids: matches.map((m) => m.id) } },
];

// Sanity check before timing: each instrumented call ends a span priced with burnrate.cost.usd.
instrumentation.setTracerProvider(tracing.provider);
for (const c of cases) {
  await assertPricedCall(tracing, c.name, () => (index as unknown as Proto)[c.method](c.arg));
}
instrumentation.setTracerProvider(benchProvider);

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
// The largest write's floor: the same call in a bare span, no Burnrate code.
const upsert = cases[1];
const floor = await floorRow(upsert.name, () => plain.upsert.call(index, upsert.arg));
if (floor) console.log(floor);
await benchProvider.shutdown();
await tracing.shutdown();
