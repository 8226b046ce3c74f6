// Per-call overhead of the Chroma instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-chromadb/bench/run.ts
// The real `chromadb` client against a local replay server that answers what a real Chroma 1.5.9
// server answered to the same requests (captured with curl); plain calls (the collection class's
// original methods, captured before patching) and instrumented calls (span, attributes, pricing,
// Burnrate's span processor, the cost meter, a batch exporter) alternate by rounds.
// CPU time per call (process.cpuUsage), plain and instrumented in alternating rounds, medians;
// BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a
// case-name filter) set the sample. Prints a markdown table.
// The same calls then run on an in-memory fetch (createReplayFetch, the same answers; the client
// calls the global `fetch`): no loopback HTTP, like the OpenAI and Pinecone benches, so those rows
// compare with the peers' in-memory budget.

import {
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
  startReplayServer,
} from '@burnrate/test-utils';
import * as Chroma from 'chromadb';
import { ChromaInstrumentation } from '../src/index.ts';

const replay = await startReplayServer();
// record: false: no per-call request parsing in the timed transport.
const memory = createReplayFetch([], { record: false });
const ID = '6f1c9a52-3b0e-4a55-9a53-0d1c2e3f4a5b';
const BASE = `http://chroma.local:8000/api/v2/tenants/default_tenant/databases/default_database/collections/${ID}`;
const ids = Array.from({ length: 10 }, (_, i) => `doc-${i}`);
const exchanges = [
  exchange('GET', 'http://chroma.local:8000/api/v2/pre-flight-checks', {
    max_batch_size: 5461,
    supports_base64_encoding: true,
  }),
  exchange('POST', `${BASE}/query`, {
    ids: [ids],
    embeddings: null,
    documents: [ids.map((id) => `text of ${id}`)],
    uris: null,
    metadatas: [ids.map((_, k) => ({ k }))],
    distances: [ids.map((_, k) => k / 10)],
    include: ['metadatas', 'documents', 'distances'],
  }),
  exchange('POST', `${BASE}/add`, {}),
  exchange('POST', `${BASE}/get`, {
    ids,
    embeddings: null,
    documents: ids.map((id) => `text of ${id}`),
    uris: null,
    metadatas: ids.map((_, k) => ({ k })),
    include: ['metadatas', 'documents'],
  }),
];
replay.add(exchanges);
memory.add(exchanges);

type Proto = Record<string, (this: unknown, ...args: unknown[]) => Promise<unknown>>;
const proto = Object.getPrototypeOf(Chroma.CollectionHandle.prototype) as Proto;
const plain = { query: proto.query, add: proto.add, get: proto.get };

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const instrumentation = new ChromaInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('chromadb', Chroma);

const url = new URL(replay.url);
const client = new Chroma.ChromaClient({ host: url.hostname, port: Number(url.port), ssl: false });
// A full collection object without a round trip (the class `getCollection` returns too).
const collection = client.collection(ID);
const vector = Array.from({ length: 1536 }, (_, i) => Math.sin(i));
const cases: { name: string; method: keyof typeof plain; arg: unknown }[] = [
  {
    name: 'query (n_results 10, 1536 dims)',
    method: 'query',
    arg: { queryEmbeddings: [vector], nResults: 10 },
  },
  { name: 'add (10 x 1536 dims)', method: 'add', arg: { ids, embeddings: ids.map(() => vector) } },
  { name: 'get (10 ids)', method: 'get', arg: { ids } },
];

console.log(
  `Chroma instrumentation overhead, Node ${process.version}, CPU µs per call, median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
const run = async (suffix: string) => {
  for (const c of cases.filter((k) => `${k.name}${suffix}`.includes(ONLY))) {
    const r = await compareCpu(
      () => plain[c.method].call(collection, c.arg),
      () => (collection as unknown as Proto)[c.method](c.arg),
    );
    console.log(benchRow(`${c.name}${suffix}`, r));
  }
};
await run('');
const floor = await floorRow(cases[0].name, () => plain.query.call(collection, cases[0].arg));
if (floor) console.log(floor);
const networkFetch = globalThis.fetch;
globalThis.fetch = memory.fetch as typeof fetch;
await run(', in-memory fetch');
// The largest write's floor without I/O: what a bare span around the same call costs.
const add = cases[1];
const addFloor = await floorRow(`${add.name}, in-memory fetch`, () =>
  plain.add.call(collection, add.arg),
);
if (addFloor) console.log(addFloor);
globalThis.fetch = networkFetch;
await replay.close();
await benchProvider.shutdown();
await tracing.shutdown();
