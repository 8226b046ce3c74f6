// Per-call overhead of the Bedrock instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-bedrock/bench/run.ts
// The real client (`@aws-sdk/client-bedrock-runtime`) given an in-memory `requestHandler` serving
// the recordings (createReplayRequestHandler: a fresh Node Readable per call, event-streams in the
// parts the service flushes, decoded by the SDK as from the network), like the OpenAI bench's
// in-memory fetch: no loopback HTTP/2, whose cost a call and its noise would swamp the difference,
// so the rows compare with the OpenAI peers' in-memory budget. Every row: plain calls (the original `send`, captured before patching) against instrumented calls
// (span, attributes, usage headers, pricing, Burnrate's span processor, the cost meter, a batch exporter).
// CPU time per call (process.cpuUsage), plain and instrumented in alternating rounds, medians;
// BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a
// case-name filter) set the sample. Prints a markdown table.
import { createRequire } from 'node:module';
import {
  assertPricedCall,
  benchRow,
  benchTracerProvider,
  compareCpu,
  createReplayRequestHandler,
  floorRow,
  CPU_TABLE_HEADER as HEADER,
  BENCH_ITERATIONS as ITERATIONS,
  loadHar,
  BENCH_ONLY as ONLY,
  BENCH_ROUNDS as ROUNDS,
  setupTracing,
} from '@burnrate/test-utils';
import { converseReply, converseStreamEvents, converseStreamReply } from '../src/fixtures.ts';
import { BedrockInstrumentation } from '../src/index.ts';

type BedrockModule = typeof import('@aws-sdk/client-bedrock-runtime');
const Bedrock = createRequire(import.meta.url)('@aws-sdk/client-bedrock-runtime') as BedrockModule;

// record: false: no per-call request parsing in the timed transport.
const replay = createReplayRequestHandler([], { record: false });
const NOVA = 'us.amazon.nova-pro-v1:0';
replay.add(
  loadHar(
    'bedrock/Amazon-Titan--should-set-request-and-response-attributes-in-span-for-given-prompt.har',
  ),
);
replay.add(
  loadHar(
    'bedrock/Meta--should-set-request-and-response-attributes-in-span-for-given-prompt-with-streaming-result.har',
  ),
);
replay.add(
  loadHar(
    'bedrock/Amazon-Titan--should-set-request-and-response-attributes-in-span-for-given-prompt-with-streaming-result.har',
  ),
);
replay.add([converseReply(NOVA, { inputTokens: 300, outputTokens: 24, totalTokens: 324 })]);
replay.add([
  converseStreamReply(
    NOVA,
    converseStreamEvents(['North, east,', ' south and west.'], {
      inputTokens: 300,
      outputTokens: 24,
    }),
  ),
]);

type Send = (this: unknown, command: unknown) => Promise<unknown>;
const plainSend = (Bedrock.BedrockRuntimeClient.prototype as unknown as { send: Send }).send;

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const instrumentation = new BedrockInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@aws-sdk/client-bedrock-runtime', Bedrock);

const client = new Bedrock.BedrockRuntimeClient({
  region: 'us-east-1',
  requestHandler: replay,
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  maxAttempts: 1,
});
const drain = async (s: AsyncIterable<unknown> | undefined) => {
  for await (const _ of s ?? []) {
    /* read */
  }
};
const messages = [
  { role: 'user' as const, content: [{ text: 'What are the 4 cardinal directions?' }] },
];
const cases: {
  name: string;
  make: () => object;
  read: (out: unknown) => Promise<unknown>;
  /** Why the catalog leaves the recorded model unpriced (the sanity check then expects that). */
  unpriced?: string;
}[] = [
  {
    name: 'InvokeModel (Titan, recorded)',
    make: () =>
      new Bedrock.InvokeModelCommand({
        modelId: 'amazon.titan-text-express-v1',
        body: JSON.stringify({ inputText: 'x' }),
      }),
    read: async (out) => out,
  },
  {
    name: 'InvokeModelWithResponseStream (Llama, recorded, 26 chunks)',
    make: () =>
      new Bedrock.InvokeModelWithResponseStreamCommand({
        modelId: 'meta.llama2-13b-chat-v1',
        body: JSON.stringify({ prompt: 'x' }),
      }),
    read: (out) => drain((out as { body?: AsyncIterable<unknown> }).body),
    // Usage is read and looked up, but the catalog has no Llama 2 (retired on Bedrock) price:
    // the Titan row below times the same path ending in a priced span.
    unpriced: 'meta.llama2-13b-chat-v1 has no catalog price',
  },
  {
    name: 'InvokeModelWithResponseStream (Titan, recorded)',
    make: () =>
      new Bedrock.InvokeModelWithResponseStreamCommand({
        modelId: 'amazon.titan-text-express-v1',
        body: JSON.stringify({ inputText: 'x' }),
      }),
    read: (out) => drain((out as { body?: AsyncIterable<unknown> }).body),
  },
  {
    name: 'Converse (Nova Pro)',
    make: () => new Bedrock.ConverseCommand({ modelId: NOVA, messages }),
    read: async (out) => out,
  },
  {
    name: 'ConverseStream (Nova Pro)',
    make: () => new Bedrock.ConverseStreamCommand({ modelId: NOVA, messages }),
    read: (out) => drain((out as { stream?: AsyncIterable<unknown> }).stream),
  },
];

// Sanity check before timing: each instrumented call ends a span priced with burnrate.cost.usd.
instrumentation.setTracerProvider(tracing.provider);
for (const c of cases) {
  const traced = async () => c.read(await client.send(c.make() as never));
  await assertPricedCall(tracing, c.name, traced, c.unpriced);
}
instrumentation.setTracerProvider(benchProvider);

console.log(
  `Bedrock instrumentation overhead, Node ${process.version}, CPU µs per call, median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
for (const c of cases.filter((k) => k.name.includes(ONLY))) {
  const r = await compareCpu(
    async () => c.read(await plainSend.call(client, c.make())),
    async () => c.read(await client.send(c.make() as never)),
  );
  console.log(benchRow(c.name, r));
}
// The floor: a bare span around the same unpatched call (a call through the AWS SDK's middleware
// allocates much, and a span waiting in the export queue costs the collector accordingly).
for (const c of [cases[0], cases[2]]) {
  const floor = await floorRow(c.name, async () => c.read(await plainSend.call(client, c.make())));
  if (floor) console.log(floor);
}
client.destroy();
await benchProvider.shutdown();
await tracing.shutdown();
