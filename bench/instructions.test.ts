import { describe, expect, it } from 'vitest';
import { parseInstructionCount, perCall } from './instructions.ts';

describe('instruction counts (bench/instructions.ts)', () => {
  it('reads the total instructions from cachegrind output', () => {
    const out = [
      '==11923== Cachegrind, a cache and branch-prediction profiler',
      '==11923== ',
      '==11923== I   refs:      3,676,992,521',
    ].join('\n');
    expect(parseInstructionCount(out)).toBe(3_676_992_521);
  });

  it('says so when valgrind printed no count (the process failed to start)', () => {
    expect(() => parseInstructionCount('valgrind: command not found')).toThrow(/I refs/);
  });

  it('takes per-call instructions from two counts of the same process, start-up cancelled', () => {
    // 2.0 G of start-up and warm-up, 1.3 M a call.
    const a = { n: 200, instructions: 2_000_000_000 + 200 * 1_300_000 };
    const b = { n: 700, instructions: 2_000_000_000 + 700 * 1_300_000 };
    expect(perCall(a, b)).toBe(1_300_000);
    expect(perCall(b, a)).toBe(1_300_000);
    expect(() => perCall(a, a)).toThrow(/different call counts/);
  });
});
