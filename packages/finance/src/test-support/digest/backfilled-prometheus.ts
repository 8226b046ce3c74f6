// A real Prometheus (Debian 2.42, found like the test harness does) holding history the test
// writes: samples are backfilled with `promtool tsdb create-blocks-from openmetrics` before
// Prometheus starts, so weeks of data exist at once. Logs go to test/.artifacts/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  run,
  spawnManaged,
  tools,
  waitUntil,
} from '../../../../../test/harness/index.ts';

export interface Series {
  name: string;
  labels: Record<string, string>;
  /** [epoch ms, value] in time order. */
  samples: Array<[number, number]>;
}

export interface BackfilledPrometheus {
  url: string;
  stop(): Promise<void>;
}

function openMetrics(series: Series[]): string {
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, list] of byName) {
    lines.push(`# TYPE ${name} gauge`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
        .join(',');
      for (const [t, v] of s.samples) lines.push(`${name}{${labels}} ${v} ${t / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

export async function startBackfilledPrometheus(series: Series[]): Promise<BackfilledPrometheus> {
  const dir = makeTempDir('digest-prometheus');
  const input = join(dir, 'history.om');
  writeFileSync(input, openMetrics(series));
  const data = join(dir, 'data');
  const made = await run(tools.promtool(), [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    '-q',
    input,
    data,
  ]);
  if (made.code !== 0) throw new Error(`promtool backfill failed: ${made.stderr || made.stdout}`);
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, JSON.stringify({ global: { scrape_interval: '15s' }, scrape_configs: [] }));
  const port = await freePort();
  const proc = spawnManaged('prometheus-digest', tools.prometheus(), [
    `--config.file=${config}`,
    `--storage.tsdb.path=${data}`,
    '--storage.tsdb.retention.time=3650d',
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      try {
        return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        return false;
      }
    },
    'Prometheus readiness',
    { timeoutMs: 60_000, exited: proc.exited, logFile: proc.logFile },
  );
  return {
    url,
    stop: async () => {
      await proc.stop();
      removeTempDir(dir);
    },
  };
}
