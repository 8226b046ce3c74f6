// Per-call overhead of the Chroma instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-chromadb/bench/run.ts
// The real `chromadb` client against a local replay server that answers what a real Chroma 1.5.9
// server answered to the same requests (captured with curl); plain calls (the collection class's
// original methods, captured before patching) and instrumented calls (span, attributes, pricing,
// Burnrate's span processor, an in-memory exporter) alternate one by one.
// BENCH_CALLS (default 3000) and BENCH_WARMUP (500) set the sample size. Prints a markdown table.

import {
  BENCH_HEADER,
  benchRow,
  comparePerCall,
  exchange,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import * as Chroma from 'chromadb';
import { ChromaInstrumentation } from '../src/index.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);

const replay = await startReplayServer();
const ID = '6f1c9a52-3b0e-4a55-9a53-0d1c2e3f4a5b';
const BASE = `http://chroma.local:8000/api/v2/tenants/default_tenant/databases/default_database/collections/${ID}`;
const ids = Array.from({ length: 10 }, (_, i) => `doc-${i}`);
replay.add([
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
]);

type Proto = Record<string, (this: unknown, ...args: unknown[]) => Promise<unknown>>;
const proto = Object.getPrototypeOf(Chroma.CollectionHandle.prototype) as Proto;
const plain = { query: proto.query, add: proto.add, get: proto.get };

const tracing = setupTracing();
const instrumentation = new ChromaInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
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

const compare = (base: () => Promise<unknown>, traced: () => Promise<unknown>) =>
  comparePerCall(base, traced, { calls: CALLS, warmup: WARMUP, every500: () => tracing.reset() });

console.log(
  `Chroma instrumentation overhead, Node ${process.version}, ${CALLS} calls each, medians\n`,
);
console.log(BENCH_HEADER);
for (const c of cases) {
  const r = await compare(
    () => plain[c.method].call(collection, c.arg),
    () => (collection as unknown as Proto)[c.method](c.arg),
  );
  console.log(benchRow(c.name, r));
}
await replay.close();
await tracing.shutdown();
