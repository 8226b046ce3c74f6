import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PrometheusErrorKind } from '../query/prometheus.ts';
import type { MissingCode } from './options.ts';

/**
 * The data-missing code (and `burnrate_budget_evaluation_errors_total` reason) of a failed
 * query, one per kind of PrometheusError so the label stays bounded: refused credentials
 * (`auth`) are a Prometheus error like any other; the message in the log says which.
 */
export const MISSING_CODES: Record<PrometheusErrorKind, MissingCode> = {
  unreachable: 'prometheus_unreachable',
  timeout: 'deadline',
  auth: 'prometheus_error',
  http: 'prometheus_error',
  query: 'prometheus_error',
};

/** Node fires a timer at once when its delay exceeds 2^31-1 ms (24.8 days): clamp. */
export function timerDelay(seconds: number): number {
  return Math.min(seconds * 1000, 2 ** 31 - 1);
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function hashFile(file: string): string {
  return createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex');
}
