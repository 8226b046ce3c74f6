// Per-call overhead of the Anthropic instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-anthropic/bench/run.ts
// Real SDKs against a local replay server serving the recorded Messages responses.
// - 0.133 (no built-in tracing): plain calls (the original `create`, captured before patching)
//   against Burnrate's own span (span, attributes, pricing, span processor, in-memory exporter).
// - 1.x (traces itself): the SDK's own span without Burnrate against the same span priced and
//   attributed by Burnrate's span processor (what Burnrate adds there: a reader and the pricing).
// BENCH_CALLS (default 2000) and BENCH_WARMUP (300) set the sample size. Prints a markdown table.
import Anthropic1 from '@anthropic-ai/sdk';
import {
  BENCH_HEADER,
  benchRow,
  comparePerCall,
  loadRecording,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import Anthropic0 from 'anthropic-v0-133';
import { AnthropicInstrumentation } from '../src/index.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);

const replay = await startReplayServer();
const message = loadRecording('anthropic/should-set-attributes-in-span-for-messages.har');
const stream = loadRecording('anthropic/should-set-attributes-in-span-for-messages-streaming.har');
const REQUEST = {
  model: 'claude-3-opus-20240229',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Tell me a joke' }],
};

// Each path serves its one recording forever; streams and messages go to different base paths.
replay.add(message);
replay.add(
  stream.map((e) => ({
    ...e,
    url: new URL(e.url.href.replace('/v1/messages', '/stream/v1/messages')),
  })),
);

type Create = (
  this: unknown,
  body: unknown,
  options?: unknown,
) => Promise<unknown> & AsyncIterable<unknown>;
const messagesProto = Anthropic0.Messages.prototype as unknown as { create: Create };
const plainCreate = messagesProto.create;

const tracing = setupTracing();
const instrumentation = new AnthropicInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.patchExports('@anthropic-ai/sdk', { Anthropic: Anthropic0 });
instrumentation.patchExports('@anthropic-ai/sdk', { Anthropic: Anthropic1 });

const v0 = new Anthropic0({ apiKey: 'k', baseURL: replay.url, maxRetries: 0 });
const v0s = new Anthropic0({ apiKey: 'k', baseURL: `${replay.url}/stream`, maxRetries: 0 });
const drain = async (s: AsyncIterable<unknown>) => {
  for await (const _ of s) {
    /* read */
  }
};

// 1.x: the same SDK span, exported with and without Burnrate's span processor.
const exporter = new InMemorySpanExporter();
const sdkOnly = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const v1Plain = new Anthropic1({
  apiKey: 'k',
  baseURL: replay.url,
  maxRetries: 0,
  openTelemetry: { tracerProvider: sdkOnly },
});
const v1Priced = new Anthropic1({
  apiKey: 'k',
  baseURL: replay.url,
  maxRetries: 0,
  openTelemetry: { tracerProvider: tracing.provider },
});

const options = {
  calls: CALLS,
  warmup: WARMUP,
  every500: () => {
    tracing.reset();
    exporter.reset();
  },
};
console.log(
  `Anthropic instrumentation overhead, Node ${process.version}, ${CALLS} calls each, medians\n`,
);
console.log(BENCH_HEADER);
console.log(
  benchRow(
    'messages.create, 0.133 (Burnrate span)',
    await comparePerCall(
      () => plainCreate.call(v0.messages, REQUEST),
      () => v0.messages.create(REQUEST),
      options,
    ),
  ),
);
console.log(
  benchRow(
    'messages.create stream, 0.133 (Burnrate span)',
    await comparePerCall(
      async () =>
        drain(
          (await plainCreate.call(v0s.messages, {
            ...REQUEST,
            stream: true,
          })) as AsyncIterable<unknown>,
        ),
      async () => drain(await v0s.messages.create({ ...REQUEST, stream: true })),
      options,
    ),
  ),
);
console.log(
  benchRow(
    'messages.create, 1.x (SDK span, priced by the processor)',
    await comparePerCall(
      () => v1Plain.messages.create(REQUEST),
      () => v1Priced.messages.create(REQUEST),
      options,
    ),
  ),
);
await replay.close();
await tracing.shutdown();
await sdkOnly.shutdown();
