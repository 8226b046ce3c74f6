import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { httpOk, makeTempDir, removeTempDir, spawnManaged, waitUntil } from './process.ts';
import type { PrometheusHandle } from './prometheus.ts';
import { queryClient } from './remote-write.ts';
import { repoRoot } from './tools.ts';

/** The VictoriaMetrics release scripts/setup/victoriametrics.sh builds. */
export const VICTORIAMETRICS_VERSION = '1.151.0';

/** The single-node server binary (override: BURNRATE_VICTORIAMETRICS_BIN). */
export function victoriaMetricsBin(): string {
  const bin =
    process.env.BURNRATE_VICTORIAMETRICS_BIN ??
    join(repoRoot, '.tools/victoriametrics', VICTORIAMETRICS_VERSION, 'victoria-metrics');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(
      `VictoriaMetrics not found at ${bin}; run \`npm run setup:tools\` (scripts/setup/victoriametrics.sh) first`,
    );
  }
  return bin;
}

export type VictoriaMetricsHandle = PrometheusHandle & {
  /** The remote-write URL (Prometheus remote write protocol). */
  readonly writeUrl: string;
  /** Makes every sample received so far searchable (VictoriaMetrics buffers for ~1 s). */
  flush(): Promise<void>;
};

/**
 * Starts a single-node VictoriaMetrics on a free loopback port with a temp data dir. Queries
 * see the newest samples at once (`-search.latencyOffset=0s`, no result cache), as a test needs;
 * the PromQL (MetricsQL) API is the same one Grafana's Prometheus data source uses.
 */
export async function startVictoriaMetrics(): Promise<VictoriaMetricsHandle> {
  const bin = victoriaMetricsBin();
  const port = await freePort();
  const dir = makeTempDir('victoriametrics');
  const proc = spawnManaged('victoriametrics', bin, [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dir, 'data')}`,
    '-retentionPeriod=1y',
    '-search.latencyOffset=0s',
    '-search.disableCache',
    '-loggerLevel=WARN',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(() => httpOk(`${url}/health`), 'VictoriaMetrics health', {
    timeoutMs: 60_000,
    exited: proc.exited,
    logFile: proc.logFile,
  });
  const client = queryClient(url, proc.logFile);
  const flush = async (): Promise<void> => {
    const res = await fetch(`${url}/internal/force_flush`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`VictoriaMetrics force_flush: HTTP ${res.status}`);
  };
  return {
    ...client,
    writeUrl: `${url}/api/v1/write`,
    flush,
    // Each poll first makes what arrived searchable.
    waitFor: (promql, until, options) =>
      client.waitFor(promql, until, { ...options, before: flush }),
    stop: async () => {
      await proc.stop();
      removeTempDir(dir);
    },
  };
}
