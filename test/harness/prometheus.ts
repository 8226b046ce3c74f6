import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { httpOk, makeTempDir, removeTempDir, spawnManaged, waitUntil } from './process.ts';
import { tools } from './tools.ts';

export type ScrapeTarget = string | { job: string; targets: string[]; metricsPath?: string };

export type PrometheusOptions = {
  /** host:port targets (job "burnrate-<n>"), or jobs with their own names. */
  scrapeTargets: ScrapeTarget[];
  /** Absolute paths of rule files (e.g. deploy/prometheus/rules/*.yml). */
  ruleFiles?: string[];
  /** Alertmanager base URL (http://127.0.0.1:PORT) to send alerts to. */
  alertmanagerUrl?: string;
  /** Scrape interval in seconds (default 1). */
  scrapeIntervalSeconds?: number;
  /** Rule evaluation interval in seconds (default: the scrape interval). */
  evaluationIntervalSeconds?: number;
  /** Accept remote write on /api/v1/write. */
  remoteWriteReceiver?: boolean;
  /**
   * Prometheus's `--web.config.file` (TLS, client certificates, basic auth). With
   * `tls_server_config` the URL is https. A secured Prometheus needs `ready` too.
   */
  webConfig?: Record<string, unknown>;
  /** How readiness is checked (default: GET /-/ready answers 200, no credentials). */
  ready?: (url: string) => Promise<boolean>;
};

export type Sample = { labels: Record<string, string>; value: number };

export type PrometheusHandle = {
  readonly url: string;
  readonly logFile: string;
  /** Instant query; vector results as samples, a scalar as one sample with no labels. */
  query(promql: string, time?: Date | number): Promise<Sample[]>;
  /**
   * Polls `query` until `until(samples)` holds; returns the samples that satisfied it. `before`
   * runs before each poll.
   */
  waitFor(
    promql: string,
    until: (samples: Sample[]) => boolean,
    options?: { timeoutMs?: number; intervalMs?: number; before?: () => Promise<void> },
  ): Promise<Sample[]>;
  /** GET an API path (e.g. /api/v1/alerts) and return its `data`. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
};

type ApiResponse = {
  status: string;
  error?: string;
  data: { resultType: string; result: unknown };
};

/** Starts Prometheus (Debian's 2.42 here) on a free loopback port with a temp TSDB. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusHandle> {
  const bin = tools.prometheus();
  const port = await freePort();
  const dir = makeTempDir('prometheus');
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const config = {
    global: {
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: `${options.evaluationIntervalSeconds ?? options.scrapeIntervalSeconds ?? 1}s`,
    },
    rule_files: options.ruleFiles ?? [],
    alerting: options.alertmanagerUrl
      ? {
          alertmanagers: [
            {
              scheme: new URL(options.alertmanagerUrl).protocol.replace(':', ''),
              static_configs: [{ targets: [new URL(options.alertmanagerUrl).host] }],
            },
          ],
        }
      : undefined,
    scrape_configs: options.scrapeTargets.map((t, i) =>
      typeof t === 'string'
        ? { job_name: `burnrate-${i}`, static_configs: [{ targets: [t] }] }
        : {
            job_name: t.job,
            metrics_path: t.metricsPath ?? '/metrics',
            static_configs: [{ targets: t.targets }],
          },
    ),
  };
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, JSON.stringify(config, null, 2)); // JSON is YAML
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    ...(options.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
  ];
  if (options.webConfig) {
    const webFile = join(dir, 'web.yml');
    writeFileSync(webFile, JSON.stringify(options.webConfig));
    args.push(`--web.config.file=${webFile}`);
  }
  const proc = spawnManaged('prometheus', bin, args);
  const scheme = options.webConfig?.tls_server_config ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const ready = options.ready ?? (() => httpOk(`${url}/-/ready`));
  await waitUntil(() => ready(url), 'Prometheus readiness', {
    timeoutMs: 60_000,
    exited: proc.exited,
    logFile: proc.logFile,
  });

  return {
    ...queryClient(url, proc.logFile),
    stop: async () => {
      await proc.stop();
      removeTempDir(dir);
    },
  };
}

/**
 * The Prometheus HTTP query API of any store that speaks it (Prometheus, VictoriaMetrics), as
 * the harness' PrometheusHandle without `stop`.
 */
export type QueryClient = Omit<PrometheusHandle, 'stop'>;

export function queryClient(url: string, logFile: string): QueryClient {
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as ApiResponse;
    if (body.status !== 'success') throw new Error(`${url}${path}: ${body.error}`);
    return body.data as T;
  };
  const query = async (promql: string, time?: Date | number): Promise<Sample[]> => {
    const params = new URLSearchParams({ query: promql });
    if (time !== undefined) {
      const ms = typeof time === 'number' ? time : time.getTime();
      params.set('time', String(ms / 1000));
    }
    const data = await api<ApiResponse['data']>(`/api/v1/query?${params}`);
    if (data.resultType === 'scalar') {
      const [, v] = data.result as [number, string];
      return [{ labels: {}, value: Number(v) }];
    }
    if (data.resultType !== 'vector') throw new Error(`unexpected result ${data.resultType}`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(
      (r) => ({ labels: r.metric, value: Number(r.value[1]) }),
    );
  };
  const waitFor: PrometheusHandle['waitFor'] = async (promql, until, opts = {}) => {
    let last: Sample[] = [];
    let lastError: unknown;
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      try {
        await opts.before?.();
        last = await query(promql);
        if (until(last)) return last;
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
    }
    throw new Error(
      `timed out waiting on ${promql} at ${url}: last ${JSON.stringify(last).slice(0, 1500)}${lastError ? ` (${String(lastError)})` : ''} (log: ${logFile})`,
    );
  };
  return { url, logFile, api, query, waitFor };
}
