// The part of a Prometheus HTTP API client the digest needs. `PrometheusClient` from
// @burnrate/budget-evaluator satisfies it; tests may pass anything shaped like it.
import type { RangeSeries, Sample } from '@burnrate/budget-evaluator';

export type PromSample = Sample;

/** [unix seconds, value] pairs per series. */
export type PromRangeSeries = RangeSeries;

export interface PromQuery {
  /** Instant query evaluated at `timeMs` (epoch ms). */
  query(promql: string, timeMs: number): Promise<PromSample[]>;
  /** Range query from `startMs` to `endMs` every `stepSeconds`. */
  queryRange(
    promql: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<PromRangeSeries[]>;
}
