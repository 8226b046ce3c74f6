import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { freePorts } from './ports.ts';
import { httpOk, type ManagedProcess, makeTempDir, spawnManaged, waitUntil } from './process.ts';
import { repoRoot, tools } from './tools.ts';

export type CollectorOptions = {
  /** Config file; defaults to collector/otelcol.yaml. */
  configPath?: string;
  /**
   * Several config files, merged by the Collector in order (e.g. collector/otelcol.yaml then
   * collector/gateway.yaml); relative paths are from the repository root. Wins over `configPath`.
   */
  configPaths?: string[];
  /** BURNRATE_STORAGE_DIR (file_storage); defaults to a fresh temp dir, kept across restarts. */
  storageDir?: string;
  /** host:port the OTLP/gRPC receiver listens on (default a free port on 127.0.0.1). */
  otlpGrpcListen?: string;
  /** How long an idle series is kept (deltatocumulative max_stale and exporter metric_expiration). */
  seriesExpiration?: string;
  /** Batch processor timeout (default 200ms). */
  batchTimeout?: string;
  /** Extra environment (e.g. BURNRATE_TRACE_EXPORTERS, BURNRATE_TRACES_FORWARD_ENDPOINT). */
  env?: Record<string, string>;
  /** Milliseconds to wait for readiness (default 30 s). */
  readyTimeoutMs?: number;
};

export type CollectorHandle = {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:PORT (traces go to `${otlpHttpUrl}/v1/traces`). */
  readonly otlpHttpUrl: string;
  /** OTLP/gRPC endpoint, host:port. */
  readonly otlpGrpcEndpoint: string;
  /** The Prometheus exporter's scrape URL, http://127.0.0.1:PORT/metrics. */
  readonly metricsUrl: string;
  /** host:port of the Prometheus exporter (a scrape target). */
  readonly metricsTarget: string;
  /** host:port of the Collector's own telemetry (otelcol_* metrics). */
  readonly telemetryTarget: string;
  /** The current process's log file under test/.artifacts/. */
  logFile(): string;
  /** The current process's pid. */
  pid(): number | undefined;
  /** The current process's resident memory (VmRSS from /proc/<pid>/status), in bytes. */
  rssBytes(): number;
  /** BURNRATE_STORAGE_DIR of this Collector (kept across restarts). */
  readonly storageDir: string;
  /**
   * Stop then start again on the same ports and storage dir (its counters restart from zero: a
   * reset). `signal` SIGTERM (default: graceful, SIGKILL after 5 s) or SIGKILL; `downMs` how long
   * it stays down.
   */
  restart(options?: {
    signal?: 'SIGTERM' | 'SIGKILL';
    downMs?: number;
    /** Environment changed from this start on (e.g. a new BURNRATE_COLLECTOR_INSTANCE). */
    env?: Record<string, string>;
  }): Promise<void>;
  /** Stops it now with `signal` (default SIGTERM) and waits until it is gone. */
  kill(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again after `kill()`, on the same ports and storage dir. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts the project's Collector binary (scripts/setup/collector.sh) with collector/otelcol.yaml
 * on free loopback ports, and waits until its health check answers.
 */
export async function startCollector(options: CollectorOptions = {}): Promise<CollectorHandle> {
  const bin = tools.otelcol();
  const [grpc, http, metrics, health, telemetry] = await freePorts(5);
  const grpcListen = options.otlpGrpcListen ?? `127.0.0.1:${grpc}`;
  const storageDir = options.storageDir ?? makeTempDir('otelcol-storage');
  const env: Record<string, string> = {
    BURNRATE_STORAGE_DIR: storageDir,
    BURNRATE_OTLP_GRPC_ENDPOINT: grpcListen,
    BURNRATE_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
    BURNRATE_METRICS_ENDPOINT: `127.0.0.1:${metrics}`,
    BURNRATE_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
    BURNRATE_TELEMETRY_HOST: '127.0.0.1',
    BURNRATE_TELEMETRY_PORT: String(telemetry),
    ...(options.seriesExpiration ? { BURNRATE_SERIES_EXPIRATION: options.seriesExpiration } : {}),
    ...(options.batchTimeout ? { BURNRATE_BATCH_TIMEOUT: options.batchTimeout } : {}),
    ...options.env,
  };
  const configs = (options.configPaths ?? [options.configPath ?? 'collector/otelcol.yaml']).map(
    (c) => (isAbsolute(c) ? c : join(repoRoot, c)),
  );
  let proc: ManagedProcess | undefined;
  const start = async (): Promise<void> => {
    const args = configs.map((c) => `--config=${c}`);
    const p = spawnManaged('otelcol', bin, args, { env });
    proc = p;
    await waitUntil(() => httpOk(`http://127.0.0.1:${health}/`), 'Collector health check', {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      exited: p.exited,
      logFile: p.logFile,
    });
  };
  const kill = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    if (signal === 'SIGTERM') return proc?.stop();
    const pid = proc?.pid;
    if (pid !== undefined && proc) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await proc.exited;
    }
  };
  await start();
  return {
    otlpHttpUrl: `http://127.0.0.1:${http}`,
    otlpGrpcEndpoint: grpcListen,
    metricsUrl: `http://127.0.0.1:${metrics}/metrics`,
    metricsTarget: `127.0.0.1:${metrics}`,
    telemetryTarget: `127.0.0.1:${telemetry}`,
    logFile: () => proc?.logFile ?? '',
    pid: () => proc?.pid,
    rssBytes: () => {
      const status = readFileSync(`/proc/${proc?.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (!kb) throw new Error(`no VmRSS in /proc/${proc?.pid}/status`);
      return Number(kb[1]) * 1024;
    },
    storageDir,
    restart: async ({ signal = 'SIGTERM', downMs = 0, env: changed = {} } = {}) => {
      await kill(signal);
      Object.assign(env, changed);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    kill: (signal = 'SIGTERM') => kill(signal),
    start,
    stop: async () => {
      await proc?.stop();
    },
  };
}

/** Reads one Prometheus text exposition into `{ name, labels, value }` samples. */
export function parseExposition(
  text: string,
): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** Scrapes a Collector's Prometheus exporter once. */
export async function scrapeCollector(
  metricsUrl: string,
): Promise<{ name: string; labels: Record<string, string>; value: number }[]> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`scrape ${metricsUrl}: HTTP ${res.status}`);
  return parseExposition(await res.text());
}
