// A small HTTPS (or HTTP) client for tests: fetch cannot present a client certificate.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** The TLS name to verify (default: the Host header, else the URL's host). */
  servername?: string;
}

export function call(url: string, opts: TestRequest = {}): Promise<TestResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: opts.method ?? 'GET',
        // Node sends a GET's body without a length unless told: give it one, as curl does.
        headers:
          opts.body === undefined
            ? opts.headers
            : { 'content-length': String(Buffer.byteLength(opts.body)), ...opts.headers },
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        servername: opts.servername,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
