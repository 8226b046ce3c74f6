import { describe, expect, it } from 'vitest';
import { medianInterval, pairedTable, verdict } from './paired.ts';

describe('medianInterval', () => {
  it('takes the sign-test order statistics: 2nd and 10th of 11, 4th and 12th of 15', () => {
    const eleven = [9, 1, 8, 2, 7, 3, 6, 4, 5, 11, 10]; // 1..11, shuffled
    expect(medianInterval(eleven)).toEqual({
      median: 6,
      low: 2,
      high: 10,
      confidence: 1 - 2 * (12 / 2048), // 1 − 2·P(B(11, ½) ≤ 1)
    });
    const fifteen = Array.from({ length: 15 }, (_, i) => 15 - i);
    const i = medianInterval(fifteen);
    expect([i.median, i.low, i.high]).toEqual([8, 4, 12]);
    expect(i.confidence).toBeCloseTo(1 - 2 * (576 / 32768), 12); // P(B(15, ½) ≤ 3)
    expect(i.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('gives the whole range, and says what it is worth, when there are few values', () => {
    const i = medianInterval([3, 1, 2, 4]);
    expect([i.median, i.low, i.high]).toEqual([2.5, 1, 4]);
    expect(i.confidence).toBeCloseTo(1 - 2 / 16, 12);
  });

  it('refuses no values', () => {
    expect(() => medianInterval([])).toThrow(/no values/);
  });
});

describe('verdict', () => {
  it('is lighter or heavier only when the whole interval is on one side of zero', () => {
    expect(verdict({ median: -5, low: -9, high: -1, confidence: 0.96 })).toBe('lighter');
    expect(verdict({ median: 5, low: 1, high: 9, confidence: 0.96 })).toBe('heavier');
    expect(verdict({ median: -5, low: -9, high: 2, confidence: 0.96 })).toBe('not distinguishable');
  });
});

describe('pairedTable', () => {
  it('differences Burnrate and each peer within a round, not across rounds', () => {
    // The rounds drift (every variant slower in later rounds); Burnrate is 3 µs under `a` in each.
    const rounds = [0, 10, 20, 30, 40, 50, 60];
    const lines = pairedTable(
      {
        burnrate: rounds.map((r) => ({ cpu: 100 + r })),
        peers: [
          ['a', rounds.map((r) => ({ cpu: 103 + r }))],
          ['b', rounds.map((r, i) => ({ cpu: 100 + r + (i % 2 ? 4 : -4) }))],
        ],
      },
      [['chat', (x) => x.cpu]],
    );
    expect(lines[2]).toBe(
      '| chat | -3.0 [-3.0, -3.0] | 7 of 7 | lighter | 4.0 [-4.0, 4.0] | 3 of 7 | not distinguishable |',
    );
    expect(lines.at(-1)).toMatch(/^Intervals: 98\.4 % or more/);
  });

  it('leaves out a peer on a measure it records nothing for', () => {
    const runs = [1, 2, 3, 4, 5, 6, 7].map((cpu) => ({ cpu }));
    const lines = pairedTable(
      { burnrate: runs, peers: [['a', runs]] },
      [['embeddings', (x) => x.cpu]],
      (peer, measure) => !(peer === 'a' && measure === 'embeddings'),
    );
    expect(lines[2]).toBe('| embeddings | — (no span) | — | — |');
  });
});
