import type { PrometheusClient, RangeSeries, Sample } from '@burnrate/budget-evaluator';

/** One PromQL query the report sent: every row names the ids of the queries it came from. */
export interface QueryRecord {
  id: string;
  purpose: string;
  kind: 'instant' | 'range' | 'raw';
  promql: string;
  /** Evaluation time (instant and raw queries), ISO 8601. */
  time?: string;
  /** Range queries: first and last step, ISO 8601, and the step. */
  start?: string;
  end?: string;
  stepSeconds?: number;
  /** Result rows (series). */
  rows: number;
}

/** Wraps a client so every query gets an id (`q1`, `q2`, …) and a record. */
export class TracedQueries {
  readonly records: QueryRecord[] = [];
  readonly client: PrometheusClient;
  constructor(client: PrometheusClient) {
    this.client = client;
  }

  private add(rec: Omit<QueryRecord, 'id' | 'rows'>): QueryRecord {
    const record: QueryRecord = { id: `q${this.records.length + 1}`, ...rec, rows: 0 };
    this.records.push(record);
    return record;
  }

  async query(purpose: string, promql: string, timeMs: number) {
    const rec = this.add({ purpose, kind: 'instant', promql, time: iso(timeMs) });
    const samples: Sample[] = await this.client.query(promql, timeMs);
    rec.rows = samples.length;
    return { id: rec.id, samples };
  }

  async queryMatrix(purpose: string, promql: string, timeMs: number) {
    const rec = this.add({ purpose, kind: 'raw', promql, time: iso(timeMs) });
    const series: RangeSeries[] = await this.client.queryMatrix(promql, timeMs);
    rec.rows = series.length;
    return { id: rec.id, series };
  }

  async queryRange(purpose: string, promql: string, startMs: number, endMs: number, step: number) {
    const rec = this.add({
      purpose,
      kind: 'range',
      promql,
      start: iso(startMs),
      end: iso(endMs),
      stepSeconds: step,
    });
    const series: RangeSeries[] = await this.client.queryRange(promql, startMs, endMs, step);
    rec.rows = series.length;
    return { id: rec.id, series };
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
