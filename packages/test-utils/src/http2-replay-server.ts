import {
  createServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import {
  notFoundMessage,
  type ReceivedRequest,
  type ReplayExchange,
  ReplayRoutes,
  receivedRequest,
  safeDecode,
} from './replay-routes.ts';

/** A response of the HTTP/2 replay server: a recorded exchange, optionally sent in parts. */
export interface Http2Exchange extends ReplayExchange {
  /** Sends the body as these parts, one per tick (a stream as the network delivers it). */
  parts?: readonly Buffer[];
  /** Leaves the response open after the body (to test a client that aborts a live stream). */
  holdOpen?: boolean;
}

export interface Http2ReplayServer {
  /** `http://127.0.0.1:PORT` (cleartext HTTP/2, prior knowledge). */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Adds responses, matched by method and decoded path, in order per key (the last one repeats). */
  add(exchanges: readonly Http2Exchange[]): void;
  /** Answers the next request to method+path from a function of the request. */
  respond(method: string, path: string, fn: (req: ReceivedRequest) => Http2Exchange): void;
  close(): Promise<void>;
}

/**
 * A replay server for clients that speak cleartext HTTP/2 (the AWS SDK v3's Bedrock Runtime
 * client does by default). Unmatched requests get 404 with a JSON message naming the key.
 */
export async function startHttp2ReplayServer(
  exchanges: readonly Http2Exchange[] = [],
): Promise<Http2ReplayServer> {
  const routes = new ReplayRoutes<Http2Exchange>(exchanges);
  const open = new Set<ServerHttp2Stream>();
  const sessions = new Set<Http2Session>();
  const server: Http2Server = createServer();
  // Clients keep their HTTP/2 session open: close() ends them, or the server never closes.
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    open.add(stream);
    stream.on('close', () => open.delete(stream));
    stream.on('error', () => open.delete(stream));
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const method = String(headers[':method'] ?? 'GET');
      const url = new URL(String(headers[':path'] ?? '/'), 'http://replay');
      const body = Buffer.concat(chunks).toString('utf8');
      const path = safeDecode(url.pathname);
      const ex = routes.answer(method, path, receivedRequest(method, path, headers, body));
      if (!ex) {
        stream.respond({ ':status': 404, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ message: notFoundMessage(method, path) }));
        return;
      }
      send(stream, ex);
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
        for (const s of open) s.close();
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(stream: ServerHttp2Stream, ex: Http2Exchange): void {
  if (stream.destroyed) return;
  stream.respond({ ':status': ex.status, ...ex.headers });
  const parts = ex.parts ?? [ex.body];
  let i = 0;
  const next = () => {
    if (stream.destroyed) return;
    if (i < parts.length) {
      stream.write(parts[i++]);
      setImmediate(next);
    } else if (!ex.holdOpen) {
      stream.end();
    }
  };
  next();
}
