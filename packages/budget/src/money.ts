/**
 * Budgets keep money as integer nano-dollars (1e-9 USD), so sums of many calls are exact and
 * comparisons against a limit never suffer float drift. A Number holds integers exactly up to
 * 2^53 nano-dollars, about 9 million dollars: the largest limit a budget accepts.
 */
export const NANO_PER_USD = 1_000_000_000;
export const MAX_LIMIT_USD = 9_000_000;

/** A dollar amount (e.g. a priced call) to nano-dollars, to the nearest nano-dollar. */
export function toNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

/**
 * A worst case to nano-dollars, rounded UP (a reservation never under-reserves), ignoring the
 * float noise of per-token prices such as 1.5e-7 * 1e9 = 150.00000000000003.
 */
export function toNanoCeil(nanoFloat: number): number {
  return Math.ceil(nanoFloat - 1e-6);
}

export function toUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

/** `$0.0123` with enough digits to see cents and fractions of them. */
export function formatUsd(nano: number): string {
  const usd = toUsd(nano);
  const digits = Math.abs(usd) >= 1 ? 2 : 6;
  return `$${usd.toFixed(digits)}`;
}
