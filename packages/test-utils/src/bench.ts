/**
 * Rows of the instrumentation benchmarks (standalone scripts, never timed tests); the measuring is
 * bench-cpu.ts's `compareCpu`.
 */
export interface BenchResult {
  plain: number;
  instrumented: number;
}

/** A markdown table row: name, plain, instrumented, added (µs/call) and the ratio. */
export function benchRow(name: string, r: BenchResult): string {
  const added = r.instrumented - r.plain;
  return `| ${name} | ${r.plain.toFixed(1)} | ${r.instrumented.toFixed(1)} | ${added.toFixed(1)} | ${(r.instrumented / r.plain).toFixed(3)} |`;
}
