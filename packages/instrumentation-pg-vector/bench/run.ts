/**
 * Per-call overhead of the pgvector instrumentation: the same statements through the real `pg`
 * client against a real PostgreSQL with pgvector (PGlite over TCP, in a child process so its
 * work is not timed), plain (the client's own `query`, captured before patching) and
 * instrumented (the patched `query`: span, attributes, pricing, Burnrate's span processor, the
 * cost meter, a batch exporter) in alternating rounds. Prints a markdown table.
 *   node --expose-gc --conditions=@burnrate/source packages/instrumentation-pg-vector/bench/run.ts
 * CPU time per call (process.cpuUsage), medians; BENCH_ITERATIONS (20 calls a round),
 * BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a case-name filter) set the sample.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  benchRow,
  benchTracerProvider,
  compareCpu,
  floorRow,
  CPU_TABLE_HEADER as HEADER,
  BENCH_ITERATIONS as ITERATIONS,
  BENCH_ONLY as ONLY,
  BENCH_ROUNDS as ROUNDS,
} from '@burnrate/test-utils';
import pg from 'pg';
import { PgVectorInstrumentation } from '../src/index.ts';
import { tracedQuery } from '../src/query-call.ts';

const child = spawn(
  process.execPath,
  ['--conditions=@burnrate/source', fileURLToPath(new URL('pglite-server.ts', import.meta.url))],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const [line] = (await once(child.stdout, 'data')) as [Buffer];
const port = Number(line.toString().trim());

const provider = benchTracerProvider();
const proto = pg.Client.prototype as unknown as Record<string, unknown>;
const plainQuery = proto.query;
const instrumentation = new PgVectorInstrumentation();
instrumentation.setTracerProvider(provider);
instrumentation.patchExports('pg', pg);
const patchedQuery = proto.query;
// Plain rounds run the client's own method; instrumented rounds the patched one.
const setOn = (on: boolean) => {
  proto.query = on ? patchedQuery : plainQuery;
};

const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
await client.connect();
await client.query('CREATE TABLE items (id serial PRIMARY KEY, embedding vector(8))');
await client.query('CREATE TABLE big (id serial PRIMARY KEY, embedding vector(1536))');
const vec = (dims = 8) =>
  `[${Array.from({ length: dims }, () => Math.random().toFixed(4)).join(',')}]`;
for (let i = 0; i < 200; i++)
  await client.query('INSERT INTO items (embedding) VALUES ($1)', [vec()]);
// One 1536-dimension vector, reused: the row counts stay small, the parameter realistic.
const big = vec(1536);

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
  [
    'vector search, 1536 dims (`<=>`, LIMIT 5)',
    () => client.query('SELECT id FROM big ORDER BY embedding <=> $1 LIMIT 5', [big]),
  ],
  [
    'vector insert, 1536 dims (1 row)',
    () => client.query('INSERT INTO big (embedding) VALUES ($1)', [big]),
  ],
];

// The instrumentation's own cost, without I/O: a stub `query` that resolves at once.
const stubResult = { command: 'SELECT', rowCount: 5, rows: [1, 2, 3, 4, 5] };
const stub = () => Promise.resolve(stubResult);
const stubClient = { host: '127.0.0.1', port, database: 'postgres' };
const tracer = provider.getTracer('bench');
const search = 'SELECT id FROM items ORDER BY embedding <=> $1 LIMIT 5';

console.log(
  `pgvector instrumentation overhead, Node ${process.version}, CPU µs per call (client process), median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
for (const [name, fn] of cases.filter(([n]) => n.includes(ONLY))) {
  console.log(benchRow(name, await compareCpu(fn, fn, setOn)));
}
const floor = await floorRow(cases[0][0], cases[0][1], setOn);
if (floor) console.log(floor);
const stubName = 'vector search, stub client (no I/O)';
if (stubName.includes(ONLY)) {
  setOn(true);
  const r = await compareCpu(stub, () =>
    Promise.resolve(tracedQuery(tracer, stub, stubClient, [search, [vec()]])),
  );
  console.log(benchRow(stubName, r));
}

setOn(true);
await client.end();
child.stdin.end();
await once(child, 'exit');
await provider.shutdown();
