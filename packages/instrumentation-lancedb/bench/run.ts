/**
 * Per-call overhead of the LanceDB instrumentation: the same calls on a real in-process LanceDB
 * table (temporary directory), plain (the client's own methods, captured before patching) and
 * instrumented (the patched methods: query-builder tracking, span, attributes, pricing,
 * Burnrate's span processor, the cost meter, a batch exporter), in alternating rounds. Prints a
 * markdown table.
 *   node --expose-gc --conditions=@burnrate/source packages/instrumentation-lancedb/bench/run.ts
 * CPU time per call (process.cpuUsage, LanceDB's native threads included), medians;
 * BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a
 * case-name filter) set the sample.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import * as lancedb from '@lancedb/lancedb';
import { LanceDBInstrumentation } from '../src/index.ts';
import { findLocalTable } from '../src/local-table.ts';

const provider = benchTracerProvider();
const instrumentation = new LanceDBInstrumentation();
instrumentation.setTracerProvider(provider);

// Every prototype the instrumentation patches, as before and after: rounds switch between them.
const m = lancedb as unknown as Record<string, { prototype: object } | undefined>;
const protos = [
  m.QueryBase,
  m.Query,
  m.VectorQuery,
  m.AutoQuery,
  m.MergeInsertBuilder,
  findLocalTable(lancedb) ?? findLocalTable((lancedb as { default?: unknown }).default),
]
  .filter((c) => c !== undefined)
  .map((c) => c.prototype as Record<string | symbol, unknown>);
const values = (p: Record<string | symbol, unknown>) =>
  new Map(Reflect.ownKeys(p).map((k) => [k, Object.getOwnPropertyDescriptor(p, k)?.value]));
const before = protos.map(values);
instrumentation.patchExports('@lancedb/lancedb', lancedb);
// A method patched where it was inherited became an own property: plain rounds delete it.
const swaps: [Record<string | symbol, unknown>, string | symbol, boolean, unknown, unknown][] = [];
protos.forEach((p, i) => {
  for (const [k, v] of values(p)) {
    if (v !== before[i].get(k)) swaps.push([p, k, before[i].has(k), before[i].get(k), v]);
  }
});
const setOn = (on: boolean) => {
  for (const [p, k, own, plain, patched] of swaps) {
    if (on) p[k] = patched;
    else if (own) p[k] = plain;
    else delete p[k];
  }
};

const dir = mkdtempSync(join(tmpdir(), 'burnrate-lancedb-bench-'));
const db = await lancedb.connect(dir);
const vec = () => Array.from({ length: 16 }, () => Math.random());
const rows = () => Array.from({ length: 1000 }, (_, id) => ({ id, vector: vec() }));
const table = await db.createTable('bench', rows());
// Writes go to their own table: the one searched keeps its size (a version per add slows scans).
const writes = await db.createTable('writes', rows());
let next = 1000;

const cases: [string, () => Promise<unknown>][] = [
  ['search (`limit(5).toArray()`)', () => table.search(vec()).limit(5).toArray()],
  ['query (`where` filter)', () => table.query().where('id < 10').toArray()],
  ['add (1 row)', () => writes.add([{ id: next++, vector: vec() }])],
];

console.log(
  `LanceDB instrumentation overhead, Node ${process.version}, CPU µs per call (process, native threads included), median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
for (const [name, fn] of cases.filter(([n]) => n.includes(ONLY))) {
  console.log(benchRow(name, await compareCpu(fn, fn, setOn)));
}
// The floor of a read and of a write: an add is a native write of milliseconds, whose noise is
// larger than a span's whole cost.
for (const [name, fn] of [cases[0], cases[2]]) {
  const floor = await floorRow(name, fn, setOn);
  if (floor) console.log(floor);
}
setOn(true);
await provider.shutdown();
rmSync(dir, { recursive: true, force: true });
