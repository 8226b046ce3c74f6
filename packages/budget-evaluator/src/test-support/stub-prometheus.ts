import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubKind = 'query' | 'query_range' | 'series';

/** Answers the Prometheus HTTP API with what `answer` returns (the `data.result` rows). */
export interface StubPrometheus {
  url: string;
  /** Every request: the API (`query`, `query_range`, `series`) and its form parameters. */
  requests: Array<{ kind: StubKind; params: Record<string, string> }>;
  stop(): Promise<void>;
}

export async function startStubPrometheus(
  answer: (kind: StubKind, params: Record<string, string>) => unknown[],
  /** Milliseconds to wait before answering a request (a slow Prometheus); 0 by default. */
  delayMs: (kind: StubKind, params: Record<string, string>) => number = () => 0,
): Promise<StubPrometheus> {
  const requests: StubPrometheus['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
        params[k] = v;
      }
      const kind = url.pathname.split('/').at(-1) as StubKind;
      requests.push({ kind, params });
      // A range query, or an instant one of a range selector (`metric[5m]`), answers a matrix.
      const matrix = kind === 'query_range' || /\]\s*$/.test(params.query ?? '');
      const resultType = matrix ? 'matrix' : 'vector';
      const result = answer(kind, params);
      const body = JSON.stringify(
        kind === 'series'
          ? { status: 'success', data: result }
          : { status: 'success', data: { resultType, result } },
      );
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      const wait = delayMs(kind, params);
      if (wait > 0) setTimeout(send, wait);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
