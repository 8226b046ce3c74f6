/** A minimal Prometheus HTTP API client (instant and range queries with explicit times). */

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value] pairs. */
  values: Array<[number, number]>;
}

export class PrometheusError extends Error {
  /** `unreachable` (network/timeout), `http` (non-2xx without a PromQL error) or `query`. */
  readonly kind: 'unreachable' | 'http' | 'query';
  constructor(kind: 'unreachable' | 'http' | 'query', message: string) {
    super(message);
    this.name = 'PrometheusError';
    this.kind = kind;
  }
}

interface ApiResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown[] };
}

export interface PrometheusClientOptions {
  url: string;
  timeoutMs?: number;
}

export class PrometheusClient {
  readonly url: string;
  readonly timeoutMs: number;
  /** Number of HTTP queries sent (for the benchmark and tests). */
  queries = 0;

  constructor(opts: PrometheusClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  private async call(path: string, params: Record<string, string>): Promise<unknown[]> {
    this.queries++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new PrometheusError(
        'unreachable',
        `Prometheus at ${this.url} unreachable: ${cause ?? (err as Error).message}`,
      );
    }
    let body: ApiResponse = {};
    try {
      body = JSON.parse(text) as ApiResponse;
    } catch {
      // fall through: reported below with the status
    }
    if (body.status === 'error') {
      throw new PrometheusError(
        'query',
        `Prometheus query failed: ${body.error ?? 'unknown error'}`,
      );
    }
    if (!res.ok || body.status !== 'success' || !Array.isArray(body.data?.result)) {
      throw new PrometheusError('http', `Prometheus answered HTTP ${res.status} on ${path}`);
    }
    return body.data.result;
  }

  /** Instant query evaluated at `timeMs`. */
  async query(promql: string, timeMs: number): Promise<Sample[]> {
    const result = await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) });
    return result.map((r) => {
      const row = r as { metric: Record<string, string>; value: [number, string] };
      return { metric: row.metric, value: Number(row.value[1]) };
    });
  }

  /** Range query from `startMs` to `endMs` with `stepSeconds`. */
  async queryRange(
    promql: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    const result = await this.call('/api/v1/query_range', {
      query: promql,
      start: toSeconds(startMs),
      end: toSeconds(endMs),
      step: String(stepSeconds),
    });
    return result.map((r) => {
      const row = r as { metric: Record<string, string>; values: Array<[number, string]> };
      return { metric: row.metric, values: row.values.map(([t, v]) => [t, Number(v)]) };
    });
  }
}

function toSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
