/**
 * Per-call overhead of the LanceDB instrumentation: the same calls on a real in-process LanceDB
 * table (temporary directory), with the instrumentation disabled and enabled, in alternating
 * rounds. Prints a markdown table.
 *   node --conditions=@burnrate/source packages/instrumentation-lancedb/bench/run.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurnrateSpanProcessor, CostMeter, CostMeterSpanProcessor } from '@burnrate/core';
import * as lancedb from '@lancedb/lancedb';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { LanceDBInstrumentation } from '../src/index.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const PER_ROUND = Number(process.env.PER_ROUND ?? 50);

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
const instrumentation = new LanceDBInstrumentation();
instrumentation.setTracerProvider(provider);
instrumentation.patchExports('@lancedb/lancedb', lancedb);

const dir = mkdtempSync(join(tmpdir(), 'burnrate-lancedb-bench-'));
const db = await lancedb.connect(dir);
const vec = () => Array.from({ length: 16 }, () => Math.random());
const table = await db.createTable(
  'bench',
  Array.from({ length: 1000 }, (_, id) => ({ id, vector: vec() })),
);
let next = 1000;

const cases: [string, () => Promise<unknown>][] = [
  ['search (`limit(5).toArray()`)', () => table.search(vec()).limit(5).toArray()],
  ['add (1 row)', () => table.add([{ id: next++, vector: vec() }])],
  ['query (`where` filter)', () => table.query().where('id < 10').toArray()],
];

async function timeRound(fn: () => Promise<unknown>): Promise<number> {
  // CPU time of this process (user + system; LanceDB's native threads included), not waiting.
  const start = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / PER_ROUND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('| call | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |');
console.log('| --- | ---: | ---: | ---: | ---: |');
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
await provider.shutdown();
rmSync(dir, { recursive: true, force: true });
