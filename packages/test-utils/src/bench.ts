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

export interface CpuBenchOptions {
  warmup: number;
  iterations: number;
  rounds: number;
  /** Switches the instrumentation off (plain) and on (instrumented) between rounds. */
  setInstrumented(on: boolean): void;
  /** Called after every call (e.g. to empty an in-memory exporter). */
  reset?: () => void;
}

/**
 * CPU time (user + system) per call with the instrumentation off and on, in alternating rounds,
 * median of each side: on a shared machine CPU time is steadier than wall time, and a replay
 * server in the same process costs both sides alike.
 */
export async function compareCpuPerCall(
  call: () => Promise<unknown>,
  options: CpuBenchOptions,
): Promise<BenchResult> {
  const measure = async () => {
    for (let i = 0; i < options.warmup; i++) await call();
    options.reset?.();
    const start = process.cpuUsage();
    for (let i = 0; i < options.iterations; i++) {
      await call();
      options.reset?.();
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / options.iterations;
  };
  const plain: number[] = [];
  const instrumented: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    options.setInstrumented(false);
    plain.push(await measure());
    options.setInstrumented(true);
    instrumented.push(await measure());
  }
  return { plain: median(plain), instrumented: median(instrumented) };
}

/** A markdown row for compareCpuPerCall: name, plain, instrumented (CPU µs/call) and the ratio. */
export function cpuBenchRow(name: string, r: BenchResult): string {
  return `| ${name} | ${r.plain.toFixed(1)} | ${r.instrumented.toFixed(1)} | ${(r.instrumented / r.plain).toFixed(3)} |`;
}

/**
 * A framework hook's overhead on one framework run (no network): CPU per run with the hooks off
 * and on, printed as a one-row markdown table under `title`.
 */
export async function benchFrameworkHooks(
  title: string,
  row: string,
  oneRun: () => Promise<unknown>,
  hooks: { enable(): void; disable(): void },
  iterations: number,
): Promise<void> {
  const result = await compareCpuPerCall(oneRun, {
    warmup: 50,
    iterations,
    rounds: 5,
    setInstrumented: (on) => (on ? hooks.enable() : hooks.disable()),
  });
  console.log(`| ${title} | hooks off (CPU µs/run) | hooks on (CPU µs/run) | ratio |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(cpuBenchRow(row, result));
}
