import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BudgetEvaluator } from './evaluator.ts';

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
}

async function handle(
  ev: BudgetEvaluator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, { error: 'method not allowed' });
    return;
  }
  if (path === '/healthz') {
    send(res, 200, 'ok\n', 'text/plain');
  } else if (path === '/readyz') {
    if (ev.ready) send(res, 200, 'ready\n', 'text/plain');
    else send(res, 503, 'not ready: first evaluation pending\n', 'text/plain');
  } else if (path === '/metrics') {
    send(res, 200, await ev.metrics.registry.metrics(), ev.metrics.registry.contentType);
  } else if (path === '/api/v1/budgets') {
    const doc = ev.status();
    if (doc.lastSuccessAt === null) {
      send(res, 503, { error: 'no successful evaluation yet', ...doc });
    } else send(res, 200, doc);
  } else if (path.startsWith('/api/v1/budgets/')) {
    const name = decodeURIComponent(path.slice('/api/v1/budgets/'.length));
    const doc = ev.status();
    const budget = doc.budgets.find((b) => b.name === name);
    if (budget) send(res, 200, budget);
    else send(res, 404, { error: `no evaluated budget named "${name}"` });
  } else {
    send(res, 404, {
      error: 'not found',
      paths: ['/api/v1/budgets', '/metrics', '/healthz', '/readyz'],
    });
  }
}

/** Serves /metrics, /api/v1/budgets[/name], /healthz, /readyz. */
export function startHttpServer(ev: BudgetEvaluator, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    handle(ev, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function serverPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
