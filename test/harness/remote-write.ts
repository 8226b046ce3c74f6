import { join } from 'node:path';
import { freePorts } from './ports.ts';
import { httpOk, type ManagedProcess, spawnManaged, waitUntil } from './process.ts';
import type { Sample } from './prometheus.ts';

export { type QueryClient, queryClient } from './prometheus.ts';

import { repoRoot, tools } from './tools.ts';

/** The remote-write overlay (collector/remote-write.yaml). */
export const REMOTE_WRITE_OVERLAY = join(repoRoot, 'collector/remote-write.yaml');

export type RemoteWriteCollector = {
  readonly otlpHttpUrl: string;
  /** host:port of the Prometheus exporter (a scrape target). */
  readonly metricsTarget: string;
  /** The Collector's own telemetry (otelcol_* metrics), http://…/metrics. */
  readonly telemetryUrl: string;
  readonly logFile: string;
  stop(): Promise<void>;
};

/**
 * Starts the project's Collector with collector/otelcol.yaml and the remote-write overlay
 * (`--config` twice, as a user runs it) on free loopback ports; `env` sets the overlay's
 * variables (BURNRATE_REMOTE_WRITE_URL, …). Series are pushed every 200 ms unless
 * BURNRATE_REMOTE_WRITE_INTERVAL says otherwise.
 */
export async function startRemoteWriteCollector(
  env: Record<string, string>,
): Promise<RemoteWriteCollector> {
  const [grpc, http, metrics, health, telemetry] = await freePorts(5);
  const proc: ManagedProcess = spawnManaged(
    'otelcol-rw',
    tools.otelcol(),
    [`--config=${join(repoRoot, 'collector/otelcol.yaml')}`, `--config=${REMOTE_WRITE_OVERLAY}`],
    {
      env: {
        BURNRATE_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
        BURNRATE_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
        BURNRATE_METRICS_ENDPOINT: `127.0.0.1:${metrics}`,
        BURNRATE_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
        BURNRATE_TELEMETRY_HOST: '127.0.0.1',
        BURNRATE_TELEMETRY_PORT: String(telemetry),
        BURNRATE_REMOTE_WRITE_INTERVAL: '200ms',
        ...env,
      },
    },
  );
  await waitUntil(() => httpOk(`http://127.0.0.1:${health}/`), 'Collector health check', {
    timeoutMs: 30_000,
    exited: proc.exited,
    logFile: proc.logFile,
  });
  return {
    otlpHttpUrl: `http://127.0.0.1:${http}`,
    metricsTarget: `127.0.0.1:${metrics}`,
    telemetryUrl: `http://127.0.0.1:${telemetry}/metrics`,
    logFile: proc.logFile,
    stop: () => proc.stop(),
  };
}

/** A counter's value in a text exposition, summed over its series that carry `labels`. */
export async function scrapeSum(
  metricsUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    // With or without the _total suffix (Collector telemetry has none at v0.155).
    const metric = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (metric !== name && metric !== `${name}_total`) continue;
    if (Object.entries(labels).some(([k, v]) => !line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * Series as `labels → value`, without the labels that only say where a sample came from (a
 * scrape's job/instance, a push's collector_instance); series that then coincide are added.
 */
export function keyed(samples: Sample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const { job: _j, instance: _i, collector_instance: _c, ...labels } = s.labels;
    const key = JSON.stringify(Object.entries(labels).sort(([x], [y]) => x.localeCompare(y)));
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/**
 * What differs between two answers: a series missing or extra, or a value off by more than
 * `within(got, want)` allows (default: 1e-9 relative).
 */
export function differences(
  got: Map<string, number>,
  want: Map<string, number>,
  within: (got: number, want: number) => boolean = (g, w) =>
    Math.abs(g - w) <= 1e-9 * Math.max(Math.abs(w), 1e-12),
): string[] {
  const out: string[] = [];
  for (const [k, w] of want) {
    const g = got.get(k);
    if (g === undefined) out.push(`missing ${k} (want ${w})`);
    else if (!(within(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) out.push(`${k}: ${g} ≠ ${w}`);
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`extra ${k}`);
  return out;
}
