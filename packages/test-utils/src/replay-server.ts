import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedExchange } from './har.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

export interface ReplayServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Adds responses; requests are matched by method and path (never body), in order per key. */
  add(exchanges: readonly RecordedExchange[]): void;
  /**
   * Answers one request to method+path from a function of the request, for providers whose
   * response depends on a request option (e.g. OpenAI sends a stream's usage chunk only when asked).
   */
  respond(method: string, path: string, fn: (req: ReceivedRequest) => RecordedExchange): void;
  close(): Promise<void>;
}

/**
 * Serves recorded responses to a real client SDK pointed at it. Each method+path key serves its
 * recordings in order and then keeps serving the last one. Unmatched requests get 404 with a
 * message naming the key, so a test fails loudly.
 */
export async function startReplayServer(
  exchanges: readonly RecordedExchange[] = [],
): Promise<ReplayServer> {
  const queues = new Map<string, { items: RecordedExchange[]; next: number }>();
  const requests: ReceivedRequest[] = [];
  const responders = new Map<string, ((req: ReceivedRequest) => RecordedExchange)[]>();
  const add = (list: readonly RecordedExchange[]) => {
    for (const ex of list) {
      const key = `${ex.method} ${ex.url.pathname}`;
      const q = queues.get(key) ?? { items: [], next: 0 };
      q.items.push(ex);
      queues.set(key, q);
    }
  };
  add(exchanges);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://replay');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        headers: req.headers,
        body,
        json,
      };
      requests.push(received);
      const key = `${req.method} ${url.pathname}`;
      const responder = responders.get(key)?.shift();
      if (responder) {
        const ex = responder(received);
        res.writeHead(ex.status, { ...ex.headers, 'content-length': String(ex.body.length) });
        res.end(ex.body);
        return;
      }
      const q = queues.get(key) ?? queues.get(`${req.method} ${stripVersionPrefix(url.pathname)}`);
      if (!q || q.items.length === 0) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no recording for ${key}` } }));
        return;
      }
      const ex = q.items[Math.min(q.next, q.items.length - 1)];
      q.next++;
      res.writeHead(ex.status, { ...ex.headers, 'content-length': String(ex.body.length) });
      res.end(ex.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    add,
    respond(method, path, fn) {
      const key = `${method.toUpperCase()} ${path}`;
      const list = responders.get(key) ?? [];
      list.push(fn);
      responders.set(key, list);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function stripVersionPrefix(p: string): string {
  return p.replace(/^\/(v\d+[a-z0-9]*)\//, '/');
}

/** Builds an exchange by hand, for responses written from a provider's published format. */
export function exchange(
  method: string,
  url: string,
  body: string | object,
  options: { status?: number; contentType?: string } = {},
): RecordedExchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: method.toUpperCase(),
    url: new URL(url),
    status: options.status ?? 200,
    headers: { 'content-type': options.contentType ?? 'application/json' },
    body: Buffer.from(text, 'utf8'),
  };
}

/** A `text/event-stream` body from a list of JSON events, ending with `[DONE]` if asked. */
export function sseBody(events: readonly object[], done = true): string {
  return `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}${done ? 'data: [DONE]\n\n' : ''}`;
}
