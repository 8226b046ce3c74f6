import { describe, expect, it } from 'vitest';
import { type Count, perCall, perCallByOwner } from './instructions.ts';

const owners = (instrumentation: number, gc: number): Count['owners'] => ({
  instrumentation,
  otel: 0,
  client: 0,
  node: 0,
  builtins: 0,
  compiler: 0,
  gc,
  other: 0,
  profiler: 0,
});

describe('instruction counts (bench/instructions.ts)', () => {
  it('takes per-call instructions from two counts of the same process, start-up cancelled', () => {
    // 2.0 G of start-up and warm-up, 1.3 M a call.
    const a = { n: 200, instructions: 2_000_000_000 + 200 * 1_300_000, owners: owners(0, 0) };
    const b = { n: 700, instructions: 2_000_000_000 + 700 * 1_300_000, owners: owners(0, 0) };
    expect(perCall(a, b)).toBe(1_300_000);
    expect(perCall(b, a)).toBe(1_300_000);
    expect(() => perCall(a, a)).toThrow(/different call counts/);
  });

  it('does the same for each owner', () => {
    const a = {
      n: 200,
      instructions: 0,
      owners: owners(5_000_000 + 200 * 8_000, 9_000_000 + 200 * 30_000),
    };
    const b = {
      n: 700,
      instructions: 0,
      owners: owners(5_000_000 + 700 * 8_000, 9_000_000 + 700 * 30_000),
    };
    const per = perCallByOwner(a, b);
    expect(per.instrumentation).toBe(8_000);
    expect(per.gc).toBe(30_000);
    expect(per.otel).toBe(0);
    expect(() => perCallByOwner(a, a)).toThrow(/different call counts/);
  });
});
