import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { httpOk, makeTempDir, removeTempDir, spawnManaged, waitUntil } from './process.ts';
import { tools } from './tools.ts';

export type AlertmanagerOptions = {
  /** Route every alert to this webhook (fast group timings for tests). */
  webhookUrl?: string;
  /** Or a whole alertmanager.yml text of your own (wins over webhookUrl). */
  configYaml?: string;
};

export type AmAlert = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
  receivers: { name: string }[];
};

export type AlertmanagerHandle = {
  readonly url: string;
  readonly logFile: string;
  /** GET /api/v2/alerts (active, silenced and inhibited included). */
  alerts(): Promise<AmAlert[]>;
  stop(): Promise<void>;
};

/** A minimal test config: everything to one webhook, grouped by alertname, sent quickly. */
export function webhookConfig(webhookUrl: string): string {
  return JSON.stringify({
    route: {
      receiver: 'webhook',
      group_by: ['alertname'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [{ name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  });
}

/** Starts Alertmanager (Debian's 0.25 here) on a free loopback port, clustering off. */
export async function startAlertmanager(
  options: AlertmanagerOptions = {},
): Promise<AlertmanagerHandle> {
  const bin = tools.alertmanager();
  const port = await freePort();
  const dir = makeTempDir('alertmanager');
  const configFile = join(dir, 'alertmanager.yml');
  const config =
    options.configYaml ??
    (options.webhookUrl
      ? webhookConfig(options.webhookUrl)
      : JSON.stringify({ route: { receiver: 'null' }, receivers: [{ name: 'null' }] }));
  writeFileSync(configFile, config);
  const url = `http://127.0.0.1:${port}`;
  const proc = spawnManaged('alertmanager', bin, [
    `--config.file=${configFile}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=', // no gossip port on all interfaces
  ]);
  await waitUntil(() => httpOk(`${url}/-/ready`), 'Alertmanager readiness', {
    timeoutMs: 30_000,
    exited: proc.exited,
    logFile: proc.logFile,
  });
  return {
    url,
    logFile: proc.logFile,
    alerts: async () => {
      const res = await fetch(`${url}/api/v2/alerts`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`Alertmanager /api/v2/alerts: HTTP ${res.status}`);
      return (await res.json()) as AmAlert[];
    },
    stop: async () => {
      await proc.stop();
      removeTempDir(dir);
    },
  };
}
