/**
 * Per-call overhead measurement for the instrumentation benchmarks (standalone scripts, never
 * timed tests). Plain and instrumented calls alternate one by one (order flipped every pair), each
 * timed on its own; medians keep GC pauses and a busy machine's spikes out of the comparison.
 */
export interface BenchOptions {
  calls: number;
  warmup: number;
  /** Called every 500 calls (e.g. to empty an in-memory exporter). */
  every500?: () => void;
}

export interface BenchResult {
  plain: number;
  instrumented: number;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

export async function comparePerCall(
  plain: () => Promise<unknown>,
  instrumented: () => Promise<unknown>,
  options: BenchOptions,
): Promise<BenchResult> {
  for (let i = 0; i < options.warmup; i++) {
    await plain();
    await instrumented();
  }
  const a: number[] = [];
  const b: number[] = [];
  const timed = async (fn: () => Promise<unknown>, into: number[]) => {
    const t = process.hrtime.bigint();
    await fn();
    into.push(Number(process.hrtime.bigint() - t) / 1000);
  };
  for (let i = 0; i < options.calls; i++) {
    if (i % 2) {
      await timed(plain, a);
      await timed(instrumented, b);
    } else {
      await timed(instrumented, b);
      await timed(plain, a);
    }
    if (i % 500 === 0) options.every500?.();
  }
  return { plain: median(a), instrumented: median(b) };
}

/** A markdown table row: name, plain, instrumented, added (µs/call) and the ratio. */
export function benchRow(name: string, r: BenchResult): string {
  const added = r.instrumented - r.plain;
  return `| ${name} | ${r.plain.toFixed(1)} | ${r.instrumented.toFixed(1)} | ${added.toFixed(1)} | ${(r.instrumented / r.plain).toFixed(3)} |`;
}

export const BENCH_HEADER =
  '| operation | plain µs/call | instrumented µs/call | added µs/call | ratio |\n| --- | ---: | ---: | ---: | ---: |';
