import { createServer, type Server } from 'node:http';

/** The JSON body Alertmanager posts to a webhook receiver (version 4). */
export type WebhookNotification = {
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }[];
};

export type WebhookReceiver = {
  /** URL to give Alertmanager (http://127.0.0.1:PORT/alerts). */
  readonly url: string;
  readonly notifications: WebhookNotification[];
  /** Resolves with the first notification matching `match` (already received or later). */
  waitFor(
    match: (n: WebhookNotification) => boolean,
    timeoutMs?: number,
  ): Promise<WebhookNotification>;
  stop(): Promise<void>;
};

/** A local HTTP server that records what Alertmanager's webhook receiver posts. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        // not JSON: ignore
      }
      res.writeHead(200).end();
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notifications,
    waitFor: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = notifications.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching webhook notification in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
