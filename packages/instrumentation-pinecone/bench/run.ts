// Per-call overhead of the Pinecone instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-pinecone/bench/run.ts
// The real client against a local replay server; each operation alternates rounds of plain calls
// (the SDK's original method, captured before patching) and instrumented calls (span, attributes,
// pricing, Burnrate's span processor, an in-memory exporter). Prints a markdown table.
// BENCH_CALLS (default 3000) and BENCH_WARMUP (500) set the sample size.

import {
  BENCH_HEADER,
  benchRow,
  comparePerCall,
  exchange,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import * as Pinecone from '@pinecone-database/pinecone';
import { PineconeInstrumentation } from '../src/index.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);

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
const instrumentation = new PineconeInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
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

const compare = (base: () => Promise<unknown>, traced: () => Promise<unknown>) =>
  comparePerCall(base, traced, { calls: CALLS, warmup: WARMUP, every500: () => tracing.reset() });

console.log(
  `Pinecone instrumentation overhead, Node ${process.version}, ${CALLS} calls each, medians\n`,
);
console.log(BENCH_HEADER);
for (const c of cases) {
  const r = await compare(
    () => plain[c.method].call(index, c.arg),
    () => (index as unknown as Proto)[c.method](c.arg),
  );
  console.log(benchRow(c.name, r));
}
await replay.close();
await tracing.shutdown();
