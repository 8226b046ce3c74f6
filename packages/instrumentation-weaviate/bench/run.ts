/**
 * Per-call overhead of the Weaviate instrumentation: the same weaviate-client calls against a
 * real Weaviate server (built by scripts/setup/weaviate.sh, run in its own network namespace on
 * free loopback ports), plain (a client connected before the instrumentation patched the module)
 * and instrumented (a client connected after: span, attributes, pricing, Burnrate's span
 * processor, the cost meter, a batch exporter), in alternating rounds. Prints a markdown table.
 *   node --expose-gc --conditions=@burnrate/source packages/instrumentation-weaviate/bench/run.ts
 * CPU time per call (process.cpuUsage), medians; BENCH_ITERATIONS (20 calls a round),
 * BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a case-name filter) set the sample.
 */
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
import * as weaviateNs from 'weaviate-client';
import { instrumentConnection } from '../src/connection.ts';
import { WeaviateInstrumentation } from '../src/index.ts';
import { startWeaviate } from '../src/test-server/weaviate-server.ts';
import { StubConnection, stubNearVector } from './stub-connection.ts';

const provider = benchTracerProvider();
const instrumentation = new WeaviateInstrumentation();
instrumentation.setTracerProvider(provider);

const server = await startWeaviate();
try {
  const connect = () =>
    weaviateNs.default.connectToCustom({
      httpHost: server.host,
      httpPort: server.httpPort,
      grpcHost: server.host,
      grpcPort: server.grpcPort,
    });
  // Connected before the module is patched: the client's own methods.
  const plainClient = await connect();
  instrumentation.patchExports('weaviate-client', weaviateNs);
  const client = await connect();
  await client.collections.create({
    name: 'Bench',
    properties: [{ name: 'n', dataType: 'int' }],
    vectorizers: weaviateNs.default.configure.vectorizer.none(),
  });
  const plain = plainClient.collections.get('Bench');
  const traced = client.collections.get('Bench');
  const vec = () => Array.from({ length: 16 }, () => Math.random());
  await traced.data.insertMany(
    Array.from({ length: 500 }, (_, n) => ({ properties: { n }, vectors: vec() })),
  );

  type Collection = typeof traced;
  const cases: [string, (c: Collection) => Promise<unknown>][] = [
    ['nearVector (gRPC, limit 5)', (c) => c.query.nearVector(vec(), { limit: 5 })],
    ['fetchObjects (gRPC, limit 5)', (c) => c.query.fetchObjects({ limit: 5 })],
    ['insert (REST, 1 object)', (c) => c.data.insert({ properties: { n: 1 }, vectors: vec() })],
  ];

  console.log(
    `Weaviate instrumentation overhead, Node ${process.version}, CPU µs per call (client process), median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
  );
  console.log(HEADER);
  for (const [name, fn] of cases.filter(([n]) => n.includes(ONLY))) {
    console.log(
      benchRow(
        name,
        await compareCpu(
          () => fn(plain),
          () => fn(traced),
        ),
      ),
    );
  }
  const floor = await floorRow(cases[0][0], () => cases[0][1](plain));
  if (floor) console.log(floor);
  // The instrumentation's own cost, without I/O: a connection shaped like the client's whose
  // searches resolve at once, plain and instrumented.
  const stubName = 'nearVector, stub connection (no I/O)';
  if (stubName.includes(ONLY)) {
    const plainStub = new StubConnection();
    const tracedStub = new StubConnection();
    const tracer = provider.getTracer('@burnrate/instrumentation-weaviate');
    instrumentConnection({ tracer: () => tracer, enabled: () => true }, tracedStub);
    const vector = vec();
    const r = await compareCpu(
      () => stubNearVector(plainStub, vector),
      () => stubNearVector(tracedStub, vector),
    );
    console.log(benchRow(stubName, r));
  }
  await plainClient.close();
  await client.close();
} finally {
  await server.stop();
  await provider.shutdown();
}
