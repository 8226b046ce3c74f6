// Per-call overhead of the Qdrant instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-qdrant/bench/run.ts
// The real client answered in Qdrant's REST format by an in-memory fetch (createReplayFetch: a
// fresh Response per call), like the OpenAI bench: no loopback HTTP, whose 0.5–1 ms a call and its
// noise would swamp the difference, so the rows compare with the OpenAI peers' in-memory budget.
// The client takes no fetch option (its fetcher calls the global `fetch`), so this process alone
// swaps `globalThis.fetch` for the replay while it runs. Every row: plain calls
// (the client's original methods, captured before patching) and instrumented calls (span,
// attributes, pricing by a prices-file rule the bench writes, Burnrate's span processor, the cost
// meter, a batch exporter) alternate by rounds.
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
import * as Qdrant from '@qdrant/js-client-rest';
import { QdrantInstrumentation } from '../src/index.ts';

// Qdrant reports no billable units (README "Cost"): without a prices-file rule every call is
// unpriced. The bench prices them as a user's prices file does (read once, on first use), so it
// times the priced path.
useBenchPricesFile([
  'version: 1',
  'vector_databases:',
  '  - db_system: qdrant',
  '    per_operation: 0.00001',
  '    per_vector: 0.000001',
]);
// record: false: no per-call request parsing in the timed transport.
const replay = createReplayFetch([], { record: false });
const networkFetch = globalThis.fetch;
globalThis.fetch = replay.fetch;
const URL_ = 'http://qdrant.local:6333';
const BASE = `${URL_}/collections/docs`;
const points = Array.from({ length: 10 }, (_, i) => ({
  id: i,
  version: 1,
  score: 1 - i / 100,
  payload: { n: i },
}));
replay.add([
  exchange('POST', `${BASE}/points/query`, { result: { points }, status: 'ok', time: 0.001 }),
  exchange('PUT', `${BASE}/points`, {
    result: { operation_id: 1, status: 'completed' },
    status: 'ok',
    time: 0.001,
  }),
  exchange('POST', `${BASE}/points`, {
    result: points.map(({ id, payload }) => ({ id, payload })),
    status: 'ok',
    time: 0.001,
  }),
]);

type Proto = Record<string, (this: unknown, ...args: unknown[]) => Promise<unknown>>;
const proto = Qdrant.QdrantClient.prototype as unknown as Proto;
const plain = { query: proto.query, upsert: proto.upsert, retrieve: proto.retrieve };

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const instrumentation = new QdrantInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@qdrant/js-client-rest', Qdrant);

const client = new Qdrant.QdrantClient({ url: URL_, checkCompatibility: false });
const vector = Array.from({ length: 1536 }, (_, i) => Math.sin(i));
const cases: { name: string; method: keyof typeof plain; arg: unknown }[] = [
  { name: 'query (limit 10, 1536 dims)', method: 'query', arg: { query: vector, limit: 10 } },
  {
    name: 'upsert (10 x 1536 dims)',
    method: 'upsert',
    arg: { points: Array.from({ length: 10 }, (_, id) => ({ id, vector })) },
  },
  { name: 'retrieve (10 ids)', method: 'retrieve', arg: { ids: points.map((p) => p.id) } },
];

// Sanity check before timing: each instrumented call ends a span priced with burnrate.cost.usd.
instrumentation.setTracerProvider(tracing.provider);
for (const c of cases) {
  await assertPricedCall(tracing, c.name, () =>
    (client as unknown as Proto)[c.method]('docs', c.arg),
  );
}
instrumentation.setTracerProvider(benchProvider);

console.log(
  `Qdrant instrumentation overhead, Node ${process.version}, CPU µs per call, median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
for (const c of cases.filter((k) => k.name.includes(ONLY))) {
  const r = await compareCpu(
    () => plain[c.method].call(client, 'docs', c.arg),
    () => (client as unknown as Proto)[c.method]('docs', c.arg),
  );
  console.log(benchRow(c.name, r));
}
// The largest write's floor: the same call in a bare span, no Burnrate code.
const upsert = cases[1];
const floor = await floorRow(upsert.name, () => plain.upsert.call(client, 'docs', upsert.arg));
if (floor) console.log(floor);
globalThis.fetch = networkFetch;
await benchProvider.shutdown();
await tracing.shutdown();
