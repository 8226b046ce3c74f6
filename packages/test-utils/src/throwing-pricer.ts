import type { setPricer } from '@burnrate/core';

type Pricer = Parameters<typeof setPricer>[0];

/**
 * A pricer whose every price throws, for the fail-open tests: the caller must get the same
 * result as without Burnrate, and the span must still end (`setPricer(throwingPricer)`).
 */
export const throwingPricer: Pricer = {
  priceModelCall() {
    throw new Error('pricing exploded');
  },
  unitPrices() {
    throw new Error('pricing exploded');
  },
  priceVectorOperation() {
    throw new Error('pricing exploded');
  },
  unpriced: () => new Map(),
};
