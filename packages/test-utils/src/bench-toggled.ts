import type { TracerProvider } from '@opentelemetry/api';
import { benchRow } from './bench.ts';
import {
  assertPricedCall,
  BENCH_ONLY,
  CPU_TABLE_HEADER,
  compareCpu,
  floorRow,
} from './bench-cpu.ts';
import type { TestTracing } from './tracing.ts';

/** One call of a toggled bench: what it reads is queued first (an in-memory fetch's replies). */
export interface ToggledCase {
  name: string;
  /** Queues the recorded response(s) the call reads. */
  add: () => void;
  call: () => Promise<unknown>;
}

/** What a toggled bench needs of an instrumentation: switched on and off, pointed at a provider. */
export interface ToggledInstrumentation {
  enable(): void;
  disable(): void;
  setTracerProvider(provider: TracerProvider): void;
}

export interface ToggledBench {
  /** The client package, the table's first column (`cohere-ai` makes `cohere-ai call`). */
  client: string;
  instrumentation: ToggledInstrumentation;
  /** Where the one-time sanity check's spans go (setupTracing()). */
  tracing: TestTracing;
  /** Where the timed calls' spans go (benchTracerProvider()). */
  provider: TracerProvider & { shutdown(): Promise<void> };
  cases: readonly ToggledCase[];
  /** Names of the cases whose floor (a bare span around the same call) is measured too. */
  floors?: readonly string[];
}

/**
 * The bench of an instrumentation that is switched off and on around the same client: each case
 * is first checked to end a span priced with `burnrate.cost.usd`, then timed plain (off) against
 * instrumented (on) in alternating rounds (`compareCpu`), then the floors. Prints the markdown
 * table and shuts both providers down.
 */
export async function benchToggledCalls(b: ToggledBench): Promise<void> {
  const { instrumentation: i } = b;
  const setOn = (on: boolean) => (on ? i.enable() : i.disable());
  console.log(CPU_TABLE_HEADER.replace('| operation |', `| ${b.client} call |`));
  for (const c of b.cases.filter((k) => k.name.includes(BENCH_ONLY))) {
    c.add();
    i.enable();
    i.setTracerProvider(b.tracing.provider);
    await assertPricedCall(b.tracing, c.name, c.call);
    i.setTracerProvider(b.provider);
    console.log(benchRow(c.name, await compareCpu(c.call, c.call, setOn)));
  }
  for (const c of b.cases.filter((k) => b.floors?.includes(k.name))) {
    c.add();
    const floor = await floorRow(c.name, c.call, setOn);
    if (floor) console.log(floor);
  }
  i.disable();
  await b.provider.shutdown();
  await b.tracing.shutdown();
}
