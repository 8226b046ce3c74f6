import {
  load,
  type PrometheusConnection,
  type ResolvedConnection,
  redactUrl,
} from './prometheus-connection.ts';
import { PrometheusTransport } from './prometheus-transport.ts';
import { streamResult } from './stream-json.ts';

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

export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'http' | 'query';

export class PrometheusError extends Error {
  /**
   * `unreachable` (network), `timeout` (no answer within the query timeout or the cycle's
   * deadline: Prometheus is up but slow), `http` (non-2xx without a PromQL error) or `query`.
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
  url: string;
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

  constructor(opts: PrometheusClientOptions) {
    this.base = new URL(opts.url);
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
   * Sends one API request; `onItem`, when given, receives each element of the answer's result
   * as it is read (see stream-json.ts) and the returned list is empty.
   */
  private async call(
    path: string,
    params: Record<string, string>,
    onItem?: (item: unknown) => void,
  ): Promise<unknown[]> {
    const left = this.deadline === null ? this.timeoutMs : this.deadline - Date.now();
    const timeout = Math.min(this.timeoutMs, left);
    if (timeout <= 0) {
      throw new PrometheusError(
        'timeout',
        `Prometheus at ${this.url}: the cycle's deadline passed`,
      );
    }
    this.queries++;
    let res: Response;
    let text: string;
    const signal = AbortSignal.timeout(timeout);
    try {
      res = await this.transport.post(path, new URLSearchParams(params).toString(), signal);
      if (onItem && res.ok && res.body) {
        const streamed = await streamResult(res.body, onItem);
        if (streamed.complete) return [];
        text = streamed.prefix;
      } else text = await res.text();
    } catch (err) {
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
    if (onItem) result.forEach(onItem);
    return onItem ? [] : result;
  }

  /** Like {@link queryMatrix}, one series at a time as the answer arrives (large answers). */
  async eachSeries(
    promql: string,
    timeMs: number,
    onSeries: (s: RangeSeries) => void,
  ): Promise<void> {
    await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) }, (r) =>
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
    const params = {
      query: promql,
      start: toSeconds(startMs),
      end: toSeconds(endMs),
      step: String(stepSeconds),
    };
    await this.call('/api/v1/query_range', params, (r) => onSeries(numericValues(r as RawSeries)));
  }

  /** Instant query evaluated at `timeMs`. */
  async query(promql: string, timeMs: number): Promise<Sample[]> {
    const result = await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) });
    return result.map((r) => {
      const row = r as { metric: Record<string, string>; value: [number, string] };
      return { metric: row.metric, value: promNumber(row.value[1]) };
    });
  }

  /** Instant query of a range selector (e.g. `metric[60s]`): the raw samples, per series. */
  async queryMatrix(promql: string, timeMs: number): Promise<RangeSeries[]> {
    const result = await this.call('/api/v1/query', { query: promql, time: toSeconds(timeMs) });
    return result.map((r) => numericValues(r as RawSeries));
  }

  /** Label sets of the series matching `match` between `startMs` and `endMs` (series API). */
  async series(match: string, startMs: number, endMs: number): Promise<Record<string, string>[]> {
    const result = await this.call('/api/v1/series', {
      'match[]': match,
      start: toSeconds(startMs),
      end: toSeconds(endMs),
    });
    return result as Record<string, string>[];
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
    return result.map((r) => numericValues(r as RawSeries));
  }
}

interface RawSeries {
  metric: Record<string, string>;
  values: Array<[number, string | number]>;
}

/** Converts a series' values to numbers in place (the answers can be large: no copy). */
function numericValues(row: RawSeries): RangeSeries {
  for (const point of row.values) point[1] = promNumber(String(point[1]));
  return row as RangeSeries;
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
