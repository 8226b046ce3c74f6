import { describe, expect, it } from 'vitest';
import { apportion, dollars, plain, toUnits } from './money.ts';

describe('money', () => {
  it('rounds without float noise, half away from zero', () => {
    expect(toUnits(0.29, 2)).toBe(29);
    expect(toUnits(1.005, 2)).toBe(101);
    expect(toUnits(-0.015, 2)).toBe(-2);
    expect(toUnits(0.1 + 0.2, 2)).toBe(30);
  });

  it('apportions: every row within one unit, rows add up to the rounded total', () => {
    const values = [0.333333, 0.333333, 0.333334];
    expect(apportion(values, 2)).toEqual([33, 33, 34]);
    const many = Array.from({ length: 97 }, (_, i) => ((i * 7919) % 1000) / 997 + 0.004999);
    const units = apportion(many, 2);
    expect(units.reduce((a, b) => a + b, 0)).toBe(
      toUnits(
        many.reduce((a, b) => a + b, 0),
        2,
      ),
    );
    for (const [i, u] of units.entries()) expect(Math.abs(u - many[i] * 100)).toBeLessThan(1);
  });

  it('apportions to a given total, also one below the floors', () => {
    expect(apportion([0.004, 0.004, 0.004], 2, 1)).toEqual([1, 0, 0]);
    expect(apportion([1.5, 1.5], 0, 2)).toEqual([1, 1]);
    expect(apportion([], 2)).toEqual([]);
  });

  it('formats', () => {
    expect(plain(123450, 2)).toBe('1234.50');
    expect(dollars(123450, 2)).toBe('$1,234.50');
    expect(dollars(-1, 2)).toBe('-$0.01');
    expect(dollars(12345, 4)).toBe('$1.2345');
  });
});
