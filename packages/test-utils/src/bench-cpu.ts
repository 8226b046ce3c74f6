import { BurnrateSpanProcessor, CostMeter, CostMeterSpanProcessor } from '@burnrate/core';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * CPU-time comparison for the instrumentation benches (standalone scripts, never timed tests):
 * BENCH_ITERATIONS calls a round (20), BENCH_ROUNDS rounds (101), BENCH_WARMUP calls first (200),
 * BENCH_ONLY a case-name filter.
 */
export const BENCH_ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
export const BENCH_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 101);
export const BENCH_WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
export const BENCH_ONLY = process.env.BENCH_ONLY ?? '';

/** The table every package bench prints (bench/summary.ts reads columns 2 and 3). */
export const CPU_TABLE_HEADER =
  '| operation | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |\n| --- | ---: | ---: | ---: | ---: |';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * CPU time (process.cpuUsage, user + system) per call, plain and instrumented in alternating short
 * rounds (which side goes first alternates too), median of the rounds on each side. CPU time
 * leaves out the time a busy machine keeps the process waiting; short interleaved rounds spread its
 * slow spells over both sides. `setOn` switches the instrumentation between rounds (untimed).
 */
export async function compareCpu(
  plainCall: () => Promise<unknown>,
  traced: () => Promise<unknown>,
  setOn: (on: boolean) => void = () => {},
): Promise<{ plain: number; instrumented: number }> {
  const side = async (on: boolean, into?: number[]) => {
    setOn(on);
    const call = on ? traced : plainCall;
    await call(); // after a switch
    const start = process.cpuUsage();
    for (let i = 0; i < (into ? BENCH_ITERATIONS : BENCH_WARMUP); i++) await call();
    const used = process.cpuUsage(start);
    into?.push((used.user + used.system) / BENCH_ITERATIONS);
  };
  await side(false);
  await side(true);
  const plain: number[] = [];
  const instrumented: number[] = [];
  for (let r = 0; r < BENCH_ROUNDS; r++) {
    if (r % 2) {
      await side(true, instrumented);
      await side(false, plain);
    } else {
      await side(false, plain);
      await side(true, instrumented);
    }
  }
  return { plain: median(plain), instrumented: median(instrumented) };
}

/**
 * The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
 * exporter), exporting nowhere: what the OpenAI bench measures its peers with. (setupTracing()'s
 * per-span in-memory export would be timed too.)
 */
export function benchTracerProvider(): TracerProvider {
  const exporter: SpanExporter = {
    export: (_spans, done) => done({ code: 0 }),
    shutdown: async () => {},
  };
  return new TracerProvider({
    spanProcessors: [
      new BurnrateSpanProcessor(),
      new CostMeterSpanProcessor(new CostMeter()),
      new BatchSpanProcessor({ exporter }),
    ],
  });
}
