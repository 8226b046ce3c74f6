// Per-call overhead of the Anthropic instrumentation (standalone, not a test):
//   node --conditions=@burnrate/source packages/instrumentation-anthropic/bench/run.ts
// Real SDKs given an in-memory `fetch` serving the recorded Messages responses (createReplayFetch:
// a fresh Response per call, SSE parsed from a ReadableStream as from the network), like the
// OpenAI bench: no loopback HTTP, whose 0.5–1 ms a call and its noise would swamp the difference,
// so the rows compare with the OpenAI peers' in-memory budget. Every row, plain and instrumented.
// - 0.133 (no built-in tracing): plain calls (the original `create`, captured before patching)
//   against Burnrate's own span (span, attributes, pricing, span processor, cost meter, batch export).
// - 1.x (traces itself): the SDK's own span without Burnrate against the same span priced and
//   attributed by Burnrate's span processor (what Burnrate adds there: a reader and the pricing).
// CPU time per call (process.cpuUsage), plain and instrumented in alternating rounds, medians;
// BENCH_ITERATIONS (20 calls a round), BENCH_ROUNDS (101), BENCH_WARMUP (2000, at most 3 s a side) and BENCH_ONLY (a
// case-name filter) set the sample. Prints a markdown table.
import Anthropic1 from '@anthropic-ai/sdk';
import {
  assertPricedCall,
  benchRow,
  benchTracerProvider,
  compareCpu,
  createReplayFetch,
  CPU_TABLE_HEADER as HEADER,
  BENCH_ITERATIONS as ITERATIONS,
  loadHar,
  BENCH_ONLY as ONLY,
  BENCH_ROUNDS as ROUNDS,
  setupTracing,
} from '@burnrate/test-utils';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import Anthropic0 from 'anthropic-v0-133';
import { AnthropicInstrumentation } from '../src/index.ts';

// Each transport serves its one recording forever (record: false: no per-call request parsing).
const message = createReplayFetch(
  loadHar('anthropic/should-set-attributes-in-span-for-messages.har'),
  { record: false },
);
const stream = createReplayFetch(
  loadHar('anthropic/should-set-attributes-in-span-for-messages-streaming.har'),
  { record: false },
);
const REQUEST = {
  model: 'claude-3-opus-20240229',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Tell me a joke' }],
};

type Create = (
  this: unknown,
  body: unknown,
  options?: unknown,
) => Promise<unknown> & AsyncIterable<unknown>;
const messagesProto = Anthropic0.Messages.prototype as unknown as { create: Create };
const plainCreate = messagesProto.create;

const tracing = setupTracing();
// The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
// exporter), exporting nowhere: what the OpenAI bench measures its peers with. setupTracing() only
// provides the context manager (its per-span in-memory export would be timed too).
const benchProvider = benchTracerProvider();
const instrumentation = new AnthropicInstrumentation();
instrumentation.setTracerProvider(benchProvider);
instrumentation.patchExports('@anthropic-ai/sdk', { Anthropic: Anthropic0 });
instrumentation.patchExports('@anthropic-ai/sdk', { Anthropic: Anthropic1 });

const v0 = new Anthropic0({ apiKey: 'k', fetch: message.fetch, maxRetries: 0 });
const v0s = new Anthropic0({ apiKey: 'k', fetch: stream.fetch, maxRetries: 0 });
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
  fetch: message.fetch,
  maxRetries: 0,
  openTelemetry: { tracerProvider: sdkOnly },
});
const v1Priced = new Anthropic1({
  apiKey: 'k',
  fetch: message.fetch,
  maxRetries: 0,
  openTelemetry: { tracerProvider: benchProvider },
});

const cases: { name: string; plain: () => Promise<unknown>; traced: () => Promise<unknown> }[] = [
  {
    name: 'messages.create, 0.133 (Burnrate span)',
    plain: () => plainCreate.call(v0.messages, REQUEST),
    traced: () => v0.messages.create(REQUEST),
  },
  {
    name: 'messages.create stream, 0.133 (Burnrate span)',
    plain: async () =>
      drain(
        (await plainCreate.call(v0s.messages, {
          ...REQUEST,
          stream: true,
        })) as AsyncIterable<unknown>,
      ),
    traced: async () => drain(await v0s.messages.create({ ...REQUEST, stream: true })),
  },
  {
    name: 'messages.create, 1.x (SDK span, priced by the processor)',
    plain: () => v1Plain.messages.create(REQUEST),
    traced: () => v1Priced.messages.create(REQUEST),
  },
];
// Sanity check before timing: each instrumented call ends a span priced with burnrate.cost.usd.
instrumentation.setTracerProvider(tracing.provider);
const v1Checked = new Anthropic1({
  apiKey: 'k',
  fetch: message.fetch,
  maxRetries: 0,
  openTelemetry: { tracerProvider: tracing.provider },
});
await assertPricedCall(tracing, cases[0].name, cases[0].traced);
await assertPricedCall(tracing, cases[1].name, cases[1].traced);
await assertPricedCall(tracing, cases[2].name, () => v1Checked.messages.create(REQUEST));
instrumentation.setTracerProvider(benchProvider);

console.log(
  `Anthropic instrumentation overhead, Node ${process.version}, CPU µs per call, median of ${ROUNDS} alternating rounds of ${ITERATIONS} calls a side\n`,
);
console.log(HEADER);
for (const c of cases.filter((k) => k.name.includes(ONLY))) {
  console.log(benchRow(c.name, await compareCpu(c.plain, c.traced)));
}
await benchProvider.shutdown();
await tracing.shutdown();
await sdkOnly.shutdown();
