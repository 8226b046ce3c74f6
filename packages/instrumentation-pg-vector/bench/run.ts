/**
 * Per-call overhead of the pgvector instrumentation: the same statements through the real `pg`
 * client against a real PostgreSQL with pgvector (PGlite over TCP on a free loopback port), with
 * the instrumentation disabled and enabled, in alternating rounds. Prints a markdown table.
 *   node --conditions=@burnrate/source packages/instrumentation-pg-vector/bench/run.ts
 */
import { BurnrateSpanProcessor } from '@burnrate/core';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
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

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({
  spanProcessors: [new BurnrateSpanProcessor(), new SimpleSpanProcessor({ exporter })],
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
  const start = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / PER_ROUND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`| call | uninstrumented µs/call | instrumented µs/call | ratio |`);
console.log(`| --- | ---: | ---: | ---: |`);
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
    exporter.reset();
  }
  const a = median(off);
  const b = median(on);
  console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(3)} |`);
}
console.log(
  `\n${ROUNDS} alternating rounds of ${PER_ROUND} calls; median per-call time; Node ${process.version}.`,
);

await client.end();
await server.stop();
await db.close();
await provider.shutdown();
