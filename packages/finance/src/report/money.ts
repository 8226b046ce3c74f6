/**
 * Money in the report: exact dollars inside, whole units of 10^-decimals (cents by default)
 * outside. Rounding each row on its own would make the rows miss the total by a cent here and
 * there; the largest-remainder method rounds every row by less than one unit and makes the rows
 * add up to the rounded total exactly.
 */

/** Scaled value with float noise removed (0.29 * 100 = 28.999999999999996 → 29). */
function scaled(value: number, decimals: number): number {
  return Math.round(value * 10 ** decimals * 1e6) / 1e6;
}

/** `value` in whole units, rounded half away from zero. */
export function toUnits(value: number, decimals: number): number {
  const s = scaled(value, decimals);
  return Math.sign(s) * Math.round(Math.abs(s));
}

/**
 * Whole units for each value, each within one unit of exact, adding up to `totalUnits`
 * (by default the rounded sum of the values).
 */
export function apportion(
  values: readonly number[],
  decimals: number,
  totalUnits = toUnits(
    values.reduce((a, b) => a + b, 0),
    decimals,
  ),
): number[] {
  const exact = values.map((v) => scaled(v, decimals));
  const units = exact.map((x) => Math.floor(x));
  let diff = totalUnits - units.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x - Math.floor(x) }))
    .sort((a, b) => b.rem - a.rem || Math.abs(exact[b.i]) - Math.abs(exact[a.i]) || a.i - b.i);
  // Give the missing units to the largest remainders (take surplus ones from the smallest).
  while (diff !== 0 && order.length > 0) {
    if (diff > 0) {
      for (const { i } of order) {
        if (diff === 0) break;
        units[i] += 1;
        diff--;
      }
    } else {
      for (const { i } of [...order].reverse()) {
        if (diff === 0) break;
        units[i] -= 1;
        diff++;
      }
    }
  }
  return units;
}

export function fromUnits(units: number, decimals: number): number {
  return Number((units / 10 ** decimals).toFixed(decimals));
}

/** `1234.5` → `1234.50` (no grouping: for CSV and JSON-adjacent text). */
export function plain(units: number, decimals: number): string {
  return fromUnits(units, decimals).toFixed(decimals);
}

/** `$1,234.50` for people. */
export function dollars(units: number, decimals: number): string {
  const v = fromUnits(units, decimals);
  const s = Math.abs(v).toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return `${v < 0 ? '-' : ''}$${s}`;
}

/** Percent with one decimal, e.g. `12.5%`. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '0.0%';
  return `${((part / whole) * 100).toFixed(1)}%`;
}
