// The part of a Prometheus HTTP API client the digest needs. `PrometheusClient` from
// ../prometheus/client.ts satisfies it; tests may pass anything shaped like it.

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PromRangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value] pairs. */
  values: Array<[number, number]>;
}

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
