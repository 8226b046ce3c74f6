/**
 * A small Prometheus HTTP API client: instant and range queries at explicit times, with a
 * timeout, basic or bearer authentication and a tenant header (Mimir, Cortex and Thanos read
 * the tenant from `X-Scope-OrgID`). Works against Prometheus and anything speaking its API.
 */

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value] pairs. */
  values: Array<[number, number]>;
}

export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'auth' | 'http' | 'query';

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  constructor(kind: PrometheusErrorKind, message: string) {
    super(message);
    this.name = 'PrometheusError';
    this.kind = kind;
  }
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (a path prefix such as /prometheus is kept). */
  url: string;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** Sent as `tenantHeader` (default `X-Scope-OrgID`). */
  tenant?: string;
  tenantHeader?: string;
  /** Any other headers. */
  headers?: Record<string, string>;
}

interface ApiResponse {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

type RawVector = Array<{ metric: Record<string, string>; value: [number, string] }>;
type RawMatrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

export class PrometheusClient {
  readonly url: string;
  readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  /** HTTP requests sent. */
  requests = 0;

  constructor(opts: PrometheusClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(opts.url);
    } catch {
      throw new PrometheusError('http', `not a URL: "${opts.url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new PrometheusError('http', `expected an http(s) URL, got "${opts.url}"`);
    }
    this.url = opts.url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...opts.headers,
    };
    if (opts.bearerToken && opts.basicAuth) {
      throw new PrometheusError('auth', 'use either a bearer token or basic auth, not both');
    }
    if (opts.bearerToken) headers.authorization = `Bearer ${opts.bearerToken}`;
    if (opts.basicAuth) {
      const { username, password } = opts.basicAuth;
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    if (opts.tenant) headers[opts.tenantHeader ?? 'X-Scope-OrgID'] = opts.tenant;
    this.headers = headers;
  }

  private async call(path: string, params: Record<string, string>): Promise<ApiResponse['data']> {
    this.requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: this.headers,
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError') {
        throw new PrometheusError(
          'timeout',
          `Prometheus at ${this.url} did not answer within ${this.timeoutMs / 1000} s`,
        );
      }
      throw new PrometheusError(
        'unreachable',
        `Prometheus at ${this.url} unreachable: ${e.cause?.code ?? e.message}`,
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new PrometheusError(
        'auth',
        `Prometheus at ${this.url} refused the request (HTTP ${res.status}): check the credentials`,
      );
    }
    let body: ApiResponse = {};
    try {
      body = JSON.parse(text) as ApiResponse;
    } catch {
      // reported below with the status
    }
    if (body.status === 'error') {
      throw new PrometheusError('query', `Prometheus query failed: ${body.error ?? 'unknown'}`);
    }
    if (!res.ok || body.status !== 'success' || !body.data) {
      throw new PrometheusError(
        'http',
        `Prometheus answered HTTP ${res.status} on ${path}: ${text.slice(0, 200)}`,
      );
    }
    return body.data;
  }

  /** Instant query evaluated at `timeMs`: a vector (a scalar becomes one unlabelled sample). */
  async query(promql: string, timeMs: number): Promise<Sample[]> {
    const data = await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) });
    if (data?.resultType === 'scalar') {
      const [, v] = data.result as [number, string];
      return [{ metric: {}, value: promNumber(v) }];
    }
    if (data?.resultType !== 'vector') {
      throw new PrometheusError('query', `expected a vector from ${promql}`);
    }
    return (data.result as RawVector).map((r) => ({
      metric: r.metric,
      value: promNumber(r.value[1]),
    }));
  }

  /** Instant query of a range selector (e.g. `metric[1h]`): the raw samples, per series. */
  async queryMatrix(promql: string, timeMs: number): Promise<RangeSeries[]> {
    const data = await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) });
    if (data?.resultType !== 'matrix') {
      throw new PrometheusError('query', `expected a range vector from ${promql}`);
    }
    return toSeries(data.result as RawMatrix);
  }

  /** Range query from `startMs` to `endMs` every `stepSeconds`. */
  async queryRange(
    promql: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    const data = await this.call('/api/v1/query_range', {
      query: promql,
      start: toSeconds(startMs),
      end: toSeconds(endMs),
      step: String(stepSeconds),
    });
    return toSeries(data?.result as RawMatrix);
  }
}

function toSeries(rows: RawMatrix): RangeSeries[] {
  return rows.map((r) => ({
    metric: r.metric,
    values: r.values.map(([t, v]): [number, number] => [t, promNumber(v)]),
  }));
}

/** Prometheus writes infinities as `+Inf`/`-Inf`, which Number() reads as NaN. */
function promNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function toSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
