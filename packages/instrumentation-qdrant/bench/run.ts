// Per-call overhead of the Qdrant instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-qdrant/bench/run.ts
// The real client against a local replay server answering in Qdrant's REST format; plain calls
// (the client's original methods, captured before patching) and instrumented calls (span,
// attributes, pricing, Burnrate's span processor, an in-memory exporter) alternate one by one.
// BENCH_CALLS (default 3000) and BENCH_WARMUP (500) set the sample size. Prints a markdown table.

import {
  BENCH_HEADER,
  benchRow,
  comparePerCall,
  exchange,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import * as Qdrant from '@qdrant/js-client-rest';
import { QdrantInstrumentation } from '../src/index.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);

const replay = await startReplayServer();
const BASE = 'http://qdrant.local:6333/collections/docs';
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
const instrumentation = new QdrantInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.patchExports('@qdrant/js-client-rest', Qdrant);

const client = new Qdrant.QdrantClient({ url: replay.url, checkCompatibility: false });
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

const compare = (base: () => Promise<unknown>, traced: () => Promise<unknown>) =>
  comparePerCall(base, traced, { calls: CALLS, warmup: WARMUP, every500: () => tracing.reset() });

console.log(
  `Qdrant instrumentation overhead, Node ${process.version}, ${CALLS} calls each, medians\n`,
);
console.log(BENCH_HEADER);
for (const c of cases) {
  const r = await compare(
    () => plain[c.method].call(client, 'docs', c.arg),
    () => (client as unknown as Proto)[c.method]('docs', c.arg),
  );
  console.log(benchRow(c.name, r));
}
await replay.close();
await tracing.shutdown();
