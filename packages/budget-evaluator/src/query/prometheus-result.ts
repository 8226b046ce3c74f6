/** The shapes of Prometheus HTTP API answers, and the conversions of their values. */

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value] pairs. */
  values: Array<[number, number]>;
}

export interface RawSeries {
  metric: Record<string, string>;
  values: Array<[number, string | number]>;
}

/** The result types a query accepts, and how a message names them. */
export interface Expected {
  types: readonly string[];
  what: string;
}

/** An instant query: a vector, or a scalar (e.g. `scalar(…)`, `time()`, a number). */
export const VECTOR: Expected = { types: ['vector', 'scalar'], what: 'a vector' };
/** A range query, or an instant query of a range selector (`metric[5m]`). */
export const MATRIX: Expected = { types: ['matrix'], what: 'a range vector' };

/** Converts a series' values to numbers in place (the answers can be large: no copy). */
export function numericValues(row: RawSeries): RangeSeries {
  for (const point of row.values) point[1] = promNumber(String(point[1]));
  return row as RangeSeries;
}

/** Prometheus writes infinities as `+Inf`/`-Inf`, which Number() reads as NaN. */
export function promNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

export function toSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The form of a range query. */
export function rangeParams(promql: string, startMs: number, endMs: number, stepSeconds: number) {
  return {
    query: promql,
    start: toSeconds(startMs),
    end: toSeconds(endMs),
    step: String(stepSeconds),
  };
}
