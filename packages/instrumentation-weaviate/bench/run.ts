/**
 * Per-call overhead of the Weaviate instrumentation: the same weaviate-client calls against a
 * real Weaviate server (built by scripts/setup/weaviate.sh, run in its own network namespace on
 * free loopback ports), with the instrumentation disabled and enabled, in alternating rounds.
 * Prints a markdown table.
 *   node --conditions=@burnrate/source packages/instrumentation-weaviate/bench/run.ts
 */
import { BurnrateSpanProcessor } from '@burnrate/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import * as weaviateNs from 'weaviate-client';
import { WeaviateInstrumentation } from '../src/index.ts';
import { startWeaviate } from '../src/test-server/weaviate-server.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const PER_ROUND = Number(process.env.PER_ROUND ?? 50);

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({
  spanProcessors: [new BurnrateSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
const instrumentation = new WeaviateInstrumentation();
instrumentation.setTracerProvider(provider);
instrumentation.patchExports('weaviate-client', weaviateNs);

const server = await startWeaviate();
try {
  const client = await weaviateNs.default.connectToCustom({
    httpHost: server.host,
    httpPort: server.httpPort,
    grpcHost: server.host,
    grpcPort: server.grpcPort,
  });
  await client.collections.create({
    name: 'Bench',
    properties: [{ name: 'n', dataType: 'int' }],
    vectorizers: weaviateNs.default.configure.vectorizer.none(),
  });
  const bench = client.collections.get('Bench');
  const vec = () => Array.from({ length: 16 }, () => Math.random());
  await bench.data.insertMany(
    Array.from({ length: 500 }, (_, n) => ({ properties: { n }, vectors: vec() })),
  );

  const cases: [string, () => Promise<unknown>][] = [
    ['nearVector (gRPC, limit 5)', () => bench.query.nearVector(vec(), { limit: 5 })],
    ['fetchObjects (gRPC, limit 5)', () => bench.query.fetchObjects({ limit: 5 })],
    ['insert (REST, 1 object)', () => bench.data.insert({ properties: { n: 1 }, vectors: vec() })],
  ];

  const timeRound = async (fn: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1e3 / PER_ROUND;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  console.log('| call | uninstrumented µs/call | instrumented µs/call | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, fn] of cases) {
    const off: number[] = [];
    const on: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
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
  await client.close();
} finally {
  await server.stop();
  await provider.shutdown();
}
