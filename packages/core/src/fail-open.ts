import { diag } from '@opentelemetry/api';

const logger = diag.createComponentLogger({ namespace: 'burnrate' });

/** Runs instrumentation code that must never throw into the caller. Returns undefined on error. */
export function safely<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    logger.warn(`${what} failed; telemetry for this call may be incomplete`, error);
    return undefined;
  }
}

export { logger as burnrateLogger };
