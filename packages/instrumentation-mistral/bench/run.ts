/**
 * Per-call overhead of the @mistralai/mistralai instrumentation: the same calls against a local
 * replay server with the instrumentation disabled and enabled (spans priced by
 * BurnrateSpanProcessor, exported to memory).
 * Run: node --conditions=@burnrate/source packages/instrumentation-mistral/bench/run.ts
 * Not a test: numbers depend on the machine.
 */

import {
  compareCpuPerCall,
  cpuBenchRow,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import { Mistral } from '@mistralai/mistralai';
import { chatExchange, embeddingsExchange, streamExchange } from '../src/fixtures.ts';
import { MistralInstrumentation } from '../src/index.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ROUNDS = 5;
const WARMUP = 50;

const tracing = setupTracing();
const replay = await startReplayServer();
const instrumentation = new MistralInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.patchExports('@mistralai/mistralai', { Mistral });
const client = new Mistral({
  apiKey: 'k',
  serverURL: replay.url,
  retryConfig: { strategy: 'none' },
});
const messages = [{ role: 'user' as const, content: 'hi' }];
const usage = { prompt_tokens: 9, completion_tokens: 3 };

const cases: { name: string; add: () => void; call: () => Promise<unknown> }[] = [
  {
    name: 'chat.complete',
    add: () => replay.add(chatExchange('mistral-small-latest', usage)),
    call: () => client.chat.complete({ model: 'mistral-small-latest', messages }),
  },
  {
    name: 'chat.stream (4 chunks)',
    add: () => replay.add(streamExchange('mistral-small-latest', ['a', 'b', 'c'], usage)),
    call: async () => {
      for await (const _ of await client.chat.stream({ model: 'mistral-small-latest', messages })) {
        /* drain */
      }
    },
  },
  {
    name: 'embeddings.create',
    add: () => replay.add(embeddingsExchange('mistral-embed', 5, 1)),
    call: () => client.embeddings.create({ model: 'mistral-embed', inputs: ['hi'] }),
  },
];

console.log(
  `| @mistralai/mistralai call | plain (CPU µs/call) | instrumented (CPU µs/call) | ratio |`,
);
console.log(`| --- | ---: | ---: | ---: |`);
for (const c of cases) {
  c.add();
  const r = await compareCpuPerCall(c.call, {
    warmup: WARMUP,
    iterations: ITERATIONS,
    rounds: ROUNDS,
    setInstrumented: (on) => (on ? instrumentation.enable() : instrumentation.disable()),
    reset: () => tracing.reset(),
  });
  console.log(cpuBenchRow(c.name, r));
}
instrumentation.disable();
await replay.close();
await tracing.shutdown();
