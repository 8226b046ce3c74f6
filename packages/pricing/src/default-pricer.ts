import { PricesFileError } from './errors.ts';
import { createPricer } from './pricer.ts';
import type { Pricer } from './types.ts';

let instance: Pricer | undefined;
let loadError: PricesFileError | undefined;

/**
 * The process-wide pricer, created once on first use from `BURNRATE_PRICES_FILE` (if set).
 * Never throws: instrumentation must fail open. If the prices file is bad, ONE warning
 * (`BURNRATE_PRICES_FILE`, naming the file, line and field) is emitted and the catalog alone is
 * used; `defaultPricerError()` returns that error for diagnostics.
 */
export function getDefaultPricer(): Pricer {
  if (instance) return instance;
  const file = process.env.BURNRATE_PRICES_FILE?.trim() || undefined;
  try {
    instance = createPricer({ pricesFile: file });
  } catch (err) {
    loadError = err instanceof PricesFileError ? err : new PricesFileError(file ?? '', String(err));
    process.emitWarning(`Burnrate prices file ignored: ${loadError.message}`, {
      code: 'BURNRATE_PRICES_FILE',
    });
    instance = createPricer();
  }
  return instance;
}

/** The error that made getDefaultPricer() ignore BURNRATE_PRICES_FILE, if any. */
export function defaultPricerError(): PricesFileError | undefined {
  return loadError;
}

/** Forgets the default pricer (tests, or after changing BURNRATE_PRICES_FILE). */
export function resetDefaultPricer(): void {
  instance = undefined;
  loadError = undefined;
}
