/**
 * Per-call overhead of the Weaviate instrumentation: the same weaviate-client calls against a
 * real Weaviate server (built by scripts/setup/weaviate.sh, run in its own network namespace on
 * free loopback ports), with the instrumentation disabled and enabled, in alternating rounds.
 * Prints a markdown table.
 *   node --conditions=@burnrate/source packages/instrumentation-weaviate/bench/run.ts
 */
import { BurnrateSpanProcessor, CostMeter, CostMeterSpanProcessor } from '@burnrate/core';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import * as weaviateNs from 'weaviate-client';
import { WeaviateInstrumentation } from '../src/index.ts';
import { startWeaviate } from '../src/test-server/weaviate-server.ts';

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
    // CPU time of this process (user + system): the server's work, and waiting, left out.
    const start = process.cpuUsage();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / PER_ROUND;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  console.log('| call | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, fn] of cases) {
    const off: number[] = [];
    const on: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
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
  await client.close();
} finally {
  await server.stop();
  await provider.shutdown();
}
