/**
 * Per-call overhead of the pgvector instrumentation: the same statements through the real `pg`
 * client against a real PostgreSQL with pgvector (PGlite over TCP on a free loopback port), with
 * the instrumentation disabled and enabled, in alternating rounds. Prints a markdown table.
 *   node --conditions=@burnrate/source packages/instrumentation-pg-vector/bench/run.ts
 */
import { BurnrateSpanProcessor, CostMeter, CostMeterSpanProcessor } from '@burnrate/core';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import pg from 'pg';
import { PgVectorInstrumentation } from '../src/index.ts';
import { tracedQuery } from '../src/query-call.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const PER_ROUND = Number(process.env.PER_ROUND ?? 100);

const db = await PGlite.create({ extensions: { vector } });
await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
await server.start();
const port = Number(server.getServerConn().split(':').pop());

// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with.
const exporter: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
const provider = new TracerProvider({
  spanProcessors: [
    new BurnrateSpanProcessor(),
    new CostMeterSpanProcessor(new CostMeter()),
    new BatchSpanProcessor({ exporter }),
  ],
});
const instrumentation = new PgVectorInstrumentation();
instrumentation.setTracerProvider(provider);
instrumentation.patchExports('pg', pg);

const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
await client.connect();
await client.query('CREATE TABLE items (id serial PRIMARY KEY, embedding vector(8))');
const vec = () => `[${Array.from({ length: 8 }, () => Math.random().toFixed(4)).join(',')}]`;
for (let i = 0; i < 200; i++)
  await client.query('INSERT INTO items (embedding) VALUES ($1)', [vec()]);

const cases: [string, () => Promise<unknown>][] = [
  [
    'vector search (`<=>`, LIMIT 5)',
    () => client.query('SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 5', [vec()]),
  ],
  [
    'vector insert (1 row)',
    () => client.query('INSERT INTO items (embedding) VALUES ($1)', [vec()]),
  ],
  ['plain SQL (not traced)', () => client.query('SELECT count(*) FROM items WHERE id < $1', [50])],
];

// The instrumentation's own cost, without I/O: a stub `query` that resolves at once.
const stubResult = { command: 'SELECT', rowCount: 5, rows: [1, 2, 3, 4, 5] };
const stub = () => Promise.resolve(stubResult);
const stubClient = { host: '127.0.0.1', port, database: 'postgres' };
const tracer = provider.getTracer('bench');
const search = 'SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 5';
cases.push([
  'vector search, stub client (no I/O)',
  () =>
    instrumentation.isEnabled()
      ? (tracedQuery(tracer, stub, stubClient, [search, [vec()]]) as Promise<unknown>)
      : stub(),
]);

async function timeRound(fn: () => Promise<unknown>): Promise<number> {
  // CPU time of this process (user + system; PGlite runs in it too, alike on both sides).
  const start = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / PER_ROUND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`| call | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |`);
console.log(`| --- | ---: | ---: | ---: | ---: |`);
for (const [name, fn] of cases) {
  const off: number[] = [];
  const on: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so drift (a growing table, a busy machine) hits both alike.
    for (const enabled of r % 2 ? [true, false] : [false, true]) {
      if (enabled) instrumentation.enable();
      else instrumentation.disable();
      (enabled ? on : off).push(await timeRound(fn));
    }
  }
  const a = median(off);
  const b = median(on);
  console.log(
    `| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b - a).toFixed(1)} | ${(b / a).toFixed(3)} |`,
  );
}
console.log(
  `\n${ROUNDS} alternating rounds of ${PER_ROUND} calls; median CPU time per call (client process); Node ${process.version}.`,
);

await client.end();
await server.stop();
await db.close();
await provider.shutdown();
