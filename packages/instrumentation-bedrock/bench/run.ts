// Per-call overhead of the Bedrock instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-bedrock/bench/run.ts
// The real client (`@aws-sdk/client-bedrock-runtime`, HTTP/2) against a local HTTP/2 replay
// server: plain calls (the original `send`, captured before patching) against instrumented calls
// (span, attributes, usage headers, pricing, Burnrate's span processor, an in-memory exporter).
// BENCH_CALLS (default 2000) and BENCH_WARMUP (300) set the sample size. Prints a markdown table.
import { createRequire } from 'node:module';
import {
  BENCH_HEADER,
  benchRow,
  comparePerCall,
  loadRecording,
  setupTracing,
  startHttp2ReplayServer,
} from '@burnrate/test-utils';
import { converseReply, converseStreamEvents, converseStreamReply } from '../src/fixtures.ts';
import { BedrockInstrumentation } from '../src/index.ts';

type BedrockModule = typeof import('@aws-sdk/client-bedrock-runtime');
const Bedrock = createRequire(import.meta.url)('@aws-sdk/client-bedrock-runtime') as BedrockModule;

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);

const replay = await startHttp2ReplayServer();
const NOVA = 'us.amazon.nova-pro-v1:0';
replay.add(
  loadRecording(
    'bedrock/Amazon-Titan--should-set-request-and-response-attributes-in-span-for-given-prompt.har',
  ),
);
replay.add(
  loadRecording(
    'bedrock/Meta--should-set-request-and-response-attributes-in-span-for-given-prompt-with-streaming-result.har',
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
const instrumentation = new BedrockInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.patchExports('@aws-sdk/client-bedrock-runtime', Bedrock);

const client = new Bedrock.BedrockRuntimeClient({
  region: 'us-east-1',
  endpoint: replay.url,
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
const cases: { name: string; make: () => object; read: (out: unknown) => Promise<unknown> }[] = [
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

const options = { calls: CALLS, warmup: WARMUP, every500: () => tracing.reset() };
console.log(
  `Bedrock instrumentation overhead, Node ${process.version}, ${CALLS} calls each, medians\n`,
);
console.log(BENCH_HEADER);
for (const c of cases.filter((k) => k.name.includes(process.env.BENCH_ONLY ?? ''))) {
  const r = await comparePerCall(
    async () => c.read(await plainSend.call(client, c.make())),
    async () => c.read(await client.send(c.make() as never)),
    options,
  );
  console.log(benchRow(c.name, r));
}
client.destroy();
await replay.close();
await tracing.shutdown();
