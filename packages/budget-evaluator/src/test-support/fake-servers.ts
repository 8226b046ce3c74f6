import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertPayload } from '../alerts/tracker.ts';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export interface FakeExporter {
  /** host:port to scrape. */
  target: string;
  /** Sets a counter sample; `undefined` removes the series. */
  set(metric: string, labels: Record<string, string>, value: number | undefined): void;
  stop(): Promise<void>;
}

/** A scrape target whose counters the test sets by hand (Prometheus text format). */
export async function startFakeExporter(): Promise<FakeExporter> {
  const series = new Map<
    string,
    { metric: string; labels: Record<string, string>; value: number }
  >();
  const server = createServer((_req, res) => {
    const byMetric = new Map<string, string[]>();
    for (const s of series.values()) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      const lines = byMetric.get(s.metric) ?? [];
      lines.push(`${s.metric}{${labels}} ${s.value}`);
      byMetric.set(s.metric, lines);
    }
    let text = '';
    for (const [metric, lines] of byMetric)
      text += `# TYPE ${metric} counter\n${lines.join('\n')}\n`;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text);
  });
  const port = await listen(server);
  return {
    target: `127.0.0.1:${port}`,
    set(metric, labels, value) {
      const key = `${metric}${JSON.stringify(Object.entries(labels).sort())}`;
      if (value === undefined) series.delete(key);
      else series.set(key, { metric, labels, value });
    },
    stop: () => close(server),
  };
}

export interface FakeAlertmanager {
  url: string;
  /** Every alert posted, in order, with the receive time. */
  posts: Array<{ at: number; alert: AlertPayload }>;
  /** Makes the next posts fail with HTTP 500 while true. */
  failing: boolean;
  stop(): Promise<void>;
}

/** Records what is POSTed to /api/v2/alerts (Alertmanager's API shape). Unit tests only. */
export async function startFakeAlertmanager(): Promise<FakeAlertmanager> {
  const fake: FakeAlertmanager = { url: '', posts: [], failing: false, stop: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/v2/alerts') {
        res.writeHead(404).end();
        return;
      }
      if (fake.failing) {
        res.writeHead(500).end('boom');
        return;
      }
      const alerts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertPayload[];
      for (const alert of alerts) fake.posts.push({ at: Date.now(), alert });
      res.writeHead(200).end();
    });
  });
  const port = await listen(server);
  fake.url = `http://127.0.0.1:${port}`;
  fake.stop = () => close(server);
  return fake;
}
