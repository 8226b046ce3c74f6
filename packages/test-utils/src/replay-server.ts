import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedExchange } from './har.ts';
import {
  notFoundMessage,
  type ReceivedRequest,
  ReplayRoutes,
  receivedRequest,
} from './replay-routes.ts';

export type { ReceivedRequest } from './replay-routes.ts';

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
 * recordings in order and then keeps serving the last one (matching: replay-routes.ts). Unmatched
 * requests get 404 with a message naming the key, so a test fails loudly.
 */
export async function startReplayServer(
  exchanges: readonly RecordedExchange[] = [],
): Promise<ReplayServer> {
  const routes = new ReplayRoutes<RecordedExchange>(exchanges);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://replay');
      const method = req.method ?? 'GET';
      const ex = routes.answer(
        method,
        url.pathname,
        receivedRequest(method, url.pathname, req.headers, body),
      );
      if (!ex) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: notFoundMessage(method, url.pathname) } }));
        return;
      }
      res.writeHead(ex.status, { ...ex.headers, 'content-length': String(ex.body.length) });
      res.end(ex.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: routes.requests,
    add: (list) => routes.add(list),
    respond: (method, path, fn) => routes.respond(method, path, fn),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
