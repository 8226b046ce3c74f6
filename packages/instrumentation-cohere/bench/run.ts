/**
 * Per-call overhead of the cohere-ai instrumentation: the same calls against a local replay
 * server with the instrumentation disabled and enabled (spans priced by BurnrateSpanProcessor,
 * exported to memory). Run: node --conditions=@burnrate/source packages/instrumentation-cohere/bench/run.ts
 * Not a test: numbers depend on the machine.
 */

import {
  compareCpuPerCall,
  cpuBenchRow,
  setupTracing,
  startReplayServer,
} from '@burnrate/test-utils';
import * as cohere from 'cohere-ai';
import { v2ChatExchange, v2RerankExchange, v2StreamExchange } from '../src/fixtures.ts';
import { CohereInstrumentation } from '../src/index.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const ROUNDS = 5;
const WARMUP = 50;

const tracing = setupTracing();
const replay = await startReplayServer();
const instrumentation = new CohereInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.patchExports('cohere-ai', cohere);
const client = new cohere.CohereClientV2({ token: 'k', environment: replay.url });
const messages = [{ role: 'user' as const, content: 'hi' }];

const cases: { name: string; add: () => void; call: () => Promise<unknown> }[] = [
  {
    name: 'v2 chat',
    add: () => replay.add(v2ChatExchange()),
    call: () => client.chat({ model: 'command-r', messages }),
  },
  {
    name: 'v2 chatStream (6 events)',
    add: () => replay.add(v2StreamExchange()),
    call: async () => {
      for await (const _ of await client.chatStream({ model: 'command-r', messages })) {
        /* drain */
      }
    },
  },
  {
    name: 'v2 rerank',
    add: () => replay.add(v2RerankExchange(1)),
    call: () => client.rerank({ model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'] }),
  },
];

console.log(`| cohere-ai call | plain (CPU µs/call) | instrumented (CPU µs/call) | ratio |`);
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
