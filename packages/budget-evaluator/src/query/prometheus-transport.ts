import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { ResolvedConnection } from './prometheus-connection.ts';

/**
 * POSTs a form to Prometheus over node:http(s), so TLS settings (a CA, a client certificate)
 * apply, and answers a web {@link Response} (its body streams, see stream-json.ts). Aborting
 * `signal` fails the request, or the body while it is being read.
 */
export class PrometheusTransport {
  private conn: ResolvedConnection;
  private agent: HttpAgent | HttpsAgent;
  private readonly secure: boolean;

  private readonly base: URL;

  constructor(base: URL, conn: ResolvedConnection) {
    this.base = base;
    this.secure = base.protocol === 'https:';
    this.conn = conn;
    this.agent = this.newAgent();
  }

  /** New settings (re-read files): later requests use them; requests in flight finish. */
  update(conn: ResolvedConnection): void {
    const old = this.agent;
    this.conn = conn;
    this.agent = this.newAgent();
    old.destroy();
  }

  private newAgent(): HttpAgent | HttpsAgent {
    if (!this.secure) return new HttpAgent({ keepAlive: true, maxSockets: 32 });
    return new HttpsAgent({ keepAlive: true, maxSockets: 32, ...this.conn.tls });
  }

  close(): void {
    this.agent.destroy();
  }

  post(path: string, form: string, signal: AbortSignal): Promise<Response> {
    const url = new URL(this.base.toString());
    url.username = '';
    url.password = '';
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    const send = this.secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: this.agent,
          signal,
          headers: {
            ...this.conn.headers,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(form),
            accept: 'application/json',
          },
        },
        (res: IncomingMessage) => resolve(toResponse(res)),
      );
      req.on('error', reject);
      req.end(form);
    });
  }
}

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const status = res.statusCode ?? 502;
  const empty = status === 204 || status === 304;
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, {
    status: status < 200 || status > 599 ? 502 : status,
    headers,
  });
}
