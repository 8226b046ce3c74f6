import {
  ConnectionError,
  load,
  maskCredentials,
  type PrometheusConnection,
  type ResolvedConnection,
  redactUrl,
} from './prometheus-connection.ts';
import {
  type Expected,
  MATRIX,
  numericValues,
  promNumber,
  type RangeSeries,
  type RawSeries,
  rangeParams,
  type Sample,
  toSeconds,
  VECTOR,
} from './prometheus-result.ts';
import { PrometheusTransport } from './prometheus-transport.ts';
import { streamResult } from './stream-json.ts';

export type { RangeSeries, Sample } from './prometheus-result.ts';

/**
 * A minimal Prometheus HTTP API client (instant, range and series queries at explicit times),
 * for the evaluator and for @burnrate/finance: headers (a tenant), auth and TLS from
 * prometheus-connection.ts, a timeout per query and an optional deadline per cycle.
 */

export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'auth' | 'http' | 'query';

export class PrometheusError extends Error {
  /**
   * `unreachable` (network), `timeout` (no answer within the query timeout or the cycle's
   * deadline: Prometheus is up but slow), `auth` (HTTP 401/403: the credentials or tenant were
   * refused), `http` (another non-2xx without a PromQL error, or a malformed answer) or `query`
   * (a PromQL error, or an answer of another result type than the query asks for).
   */
  readonly kind: PrometheusErrorKind;
  constructor(kind: PrometheusErrorKind, message: string) {
    super(message);
    this.name = 'PrometheusError';
    this.kind = kind;
  }
}

interface ApiResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown[] } | unknown[];
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (a path prefix such as /prometheus is kept). */
  url: string;
  /** Per query (default 20 s). */
  timeoutMs?: number;
  /** Headers, auth and TLS (see prometheus-connection.ts); read from their files at once. */
  connection?: PrometheusConnection;
}

export class PrometheusClient {
  /** The base URL without credentials (for messages). */
  readonly url: string;
  private readonly connection: PrometheusConnection;
  private readonly base: URL;
  private readonly transport: PrometheusTransport;
  readonly timeoutMs: number;
  /** Number of HTTP queries sent (for the benchmark and tests). */
  queries = 0;
  /**
   * Wall-clock time (Date.now() ms) by which the current cycle must be done, or null: each
   * query may take what is left of it (at most `timeoutMs`), so one slow query does not fail a
   * cycle that still has time.
   */
  deadline: number | null = null;

  /** Throws ConnectionError on a URL that is not http(s) or on unusable connection settings. */
  constructor(opts: PrometheusClientOptions) {
    const base = URL.canParse(opts.url) ? new URL(opts.url) : null;
    if (base?.protocol !== 'http:' && base?.protocol !== 'https:') {
      throw new ConnectionError(`expected an http(s) URL, got "${maskCredentials(opts.url)}"`);
    }
    this.base = base;
    this.url = redactUrl(opts.url).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.connection = opts.connection ?? {};
    this.transport = new PrometheusTransport(this.base, this.resolve());
  }

  private resolve(): ResolvedConnection {
    return load(this.connection, this.base);
  }

  /**
   * Re-reads the secret and certificate files (SIGHUP). Throws ConnectionError on a bad file
   * and keeps the settings in use.
   */
  reloadConnection(): void {
    this.transport.update(this.resolve());
  }

  /** Closes idle connections. */
  close(): void {
    this.transport.close();
  }

  /**
   * Sends one API request and answers its `data.result` (the series API: `data`) and result type.
   * `onItem`, when given, receives each element of the result as it is read (see stream-json.ts)
   * and the returned list is empty. An answer of a result type not in `expected` is a `query`
   * error (while streaming, checked when the type comes before the result, as Prometheus writes).
   */
  private async call(
    path: string,
    params: Record<string, string>,
    expected: Expected | null,
    onItem?: (item: unknown) => void,
  ): Promise<{ type?: string; result: unknown[] }> {
    const left = this.deadline === null ? this.timeoutMs : this.deadline - Date.now();
    const timeout = Math.min(this.timeoutMs, left);
    if (timeout <= 0) {
      throw new PrometheusError(
        'timeout',
        `Prometheus at ${this.url}: the cycle's deadline passed`,
      );
    }
    this.queries++;
    const check = (type: string | undefined) => {
      if (expected && !expected.types.includes(type ?? '')) {
        throw new PrometheusError('query', `expected ${expected.what} from ${params.query}`);
      }
    };
    let res: Response;
    let text: string;
    const signal = AbortSignal.timeout(timeout);
    try {
      res = await this.transport.post(path, new URLSearchParams(params).toString(), signal);
      if (onItem && res.ok && res.body) {
        const streamed = await streamResult(res.body, onItem, (prefix) => {
          const type = /"resultType":\s*"(\w+)"/.exec(prefix)?.[1];
          if (type !== undefined) check(type);
        });
        if (streamed.complete) return { result: [] };
        text = streamed.prefix;
      } else text = await res.text();
    } catch (err) {
      if (err instanceof PrometheusError) throw err;
      if (err instanceof SyntaxError) {
        throw new PrometheusError('http', `Prometheus answered malformed JSON on ${path}`);
      }
      if (signal.aborted || (err as Error).name === 'TimeoutError') {
        throw new PrometheusError(
          'timeout',
          `Prometheus at ${this.url} did not answer within ${timeout} ms (${path})`,
        );
      }
      const e = err as { code?: string; cause?: { code?: string } };
      throw new PrometheusError(
        'unreachable',
        `Prometheus at ${this.url} unreachable: ${e.code ?? e.cause?.code ?? (err as Error).message}`,
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
      // fall through: reported below with the status
    }
    if (body.status === 'error') {
      throw new PrometheusError(
        'query',
        `Prometheus query failed: ${body.error ?? 'unknown error'}`,
      );
    }
    // The series API answers a list as `data`; the query APIs `data.result`.
    const result = Array.isArray(body.data) ? body.data : body.data?.result;
    if (!res.ok || body.status !== 'success' || !Array.isArray(result)) {
      throw new PrometheusError('http', `Prometheus answered HTTP ${res.status} on ${path}`);
    }
    const type = Array.isArray(body.data) ? undefined : body.data?.resultType;
    check(type);
    if (onItem) result.forEach(onItem);
    return { type, result: onItem ? [] : result };
  }

  /** Like {@link queryMatrix}, one series at a time as the answer arrives (large answers). */
  async eachSeries(
    promql: string,
    timeMs: number,
    onSeries: (s: RangeSeries) => void,
  ): Promise<void> {
    await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) }, MATRIX, (r) =>
      onSeries(numericValues(r as RawSeries)),
    );
  }

  /** Like {@link queryRange}, one series at a time as the answer arrives (large answers). */
  async eachRangeSeries(
    promql: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
    onSeries: (s: RangeSeries) => void,
  ): Promise<void> {
    await this.call(
      '/api/v1/query_range',
      rangeParams(promql, startMs, endMs, stepSeconds),
      MATRIX,
      (r) => onSeries(numericValues(r as RawSeries)),
    );
  }

  /** Instant query evaluated at `timeMs`: a vector; a scalar becomes one unlabelled sample. */
  async query(promql: string, timeMs: number): Promise<Sample[]> {
    const { type, result } = await this.call(
      '/api/v1/query',
      { query: promql, time: toSeconds(timeMs) },
      VECTOR,
    );
    if (type === 'scalar') return [{ metric: {}, value: promNumber(String(result[1])) }];
    return result.map((r) => {
      const row = r as { metric: Record<string, string>; value: [number, string] };
      return { metric: row.metric, value: promNumber(row.value[1]) };
    });
  }

  /** Instant query of a range selector (e.g. `metric[60s]`): the raw samples, per series. */
  async queryMatrix(promql: string, timeMs: number): Promise<RangeSeries[]> {
    const { result } = await this.call(
      '/api/v1/query',
      { query: promql, time: toSeconds(timeMs) },
      MATRIX,
    );
    return result.map((r) => numericValues(r as RawSeries));
  }

  /** Label sets of the series matching `match` between `startMs` and `endMs` (series API). */
  async series(match: string, startMs: number, endMs: number): Promise<Record<string, string>[]> {
    const params = { 'match[]': match, start: toSeconds(startMs), end: toSeconds(endMs) };
    const { result } = await this.call('/api/v1/series', params, null);
    return result as Record<string, string>[];
  }

  /** Range query from `startMs` to `endMs` with `stepSeconds`. */
  async queryRange(
    promql: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    const params = rangeParams(promql, startMs, endMs, stepSeconds);
    const { result } = await this.call('/api/v1/query_range', params, MATRIX);
    return result.map((r) => numericValues(r as RawSeries));
  }
}
