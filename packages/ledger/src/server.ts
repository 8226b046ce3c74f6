import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parseLogsRequest, RequestError, rowsOfRequest } from './otlp-logs.ts';
import { decodeLogsProto, ProtoError } from './otlp-proto.ts';
import { PermanentStoreError, type RowSink } from './pg-sink.ts';

export interface WriterOptions {
  host: string;
  port: number;
  sinks: RowSink[];
  token?: string;
  maxBodyBytes: number;
  log?: (line: string) => void;
}

export interface WriterStats {
  requests: number;
  rows: number;
  inserted: number;
  rejected: number;
  unavailable: number;
}

export interface LedgerWriter {
  readonly url: string;
  readonly stats: WriterStats;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'gzip') {
    try {
      return gunzipSync(body, { maxOutputLength: limit });
    } catch {
      throw new HttpError(400, 'body: not valid gzip, or larger than the limit when inflated');
    }
  }
  if (encoding !== 'identity')
    throw new HttpError(415, `content-encoding ${encoding}: not supported`);
  return body;
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const got = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

function send(res: ServerResponse, status: number, body: object, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The ledger writer: an OTLP/HTTP logs receiver (POST /v1/logs, JSON or protobuf) that stores each
 * ledger event as a row in every sink, and answers 200 only once every sink has it durably;
 * 503 (retryable, Retry-After) while a store is unreachable; 400 for a body that is not OTLP.
 * Records that are ledger events but not valid rows are reported as a partial success (never
 * retried); other log records are ignored.
 */
export async function startWriter(options: WriterOptions): Promise<LedgerWriter> {
  const stats: WriterStats = { requests: 0, rows: 0, inserted: 0, rejected: 0, unavailable: 0 };
  const log = options.log ?? (() => undefined);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz')
      return send(res, 200, { status: 'ok', ...stats });
    if (path !== '/v1/logs') return send(res, 404, { error: `${path}: not found (POST /v1/logs)` });
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' }, { allow: 'POST' });
    if (!authorized(req, options.token)) return send(res, 401, { error: 'bearer token required' });
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && type !== 'application/x-protobuf')
      return send(res, 415, {
        error: `content-type ${type || '(none)'}: expected application/json or application/x-protobuf (OTLP)`,
      });
    stats.requests++;
    const body = await readBody(req, options.maxBodyBytes);
    const parsed =
      type === 'application/json'
        ? parseLogsRequest(body.toString('utf8'))
        : rowsOfRequest(decodeLogsProto(body));
    stats.rejected += parsed.rejected;
    if (parsed.rejected)
      log(`rejected ${parsed.rejected} ledger event(s): ${parsed.errors.join('; ')}`);
    try {
      for (const sink of options.sinks) {
        const { inserted } = await sink.write(parsed.rows);
        if (sink === options.sinks[0]) stats.inserted += inserted;
      }
    } catch (error) {
      if (error instanceof PermanentStoreError) throw new HttpError(400, error.message);
      stats.unavailable++;
      log(`store unavailable, answered 503: ${(error as Error).message}`);
      return send(
        res,
        503,
        { error: `store unavailable: ${(error as Error).message}` },
        { 'retry-after': '5' },
      );
    }
    stats.rows += parsed.rows.length;
    const answer = parsed.rejected
      ? {
          partialSuccess: {
            rejectedLogRecords: String(parsed.rejected),
            errorMessage: parsed.errors.join('; '),
          },
        }
      : {};
    send(res, 200, answer);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status =
        error instanceof HttpError
          ? error.status
          : error instanceof RequestError || error instanceof ProtoError
            ? 400
            : 500;
      if (!res.headersSent) send(res, status, { error: (error as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    stats,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const sink of options.sinks) await sink.close();
    },
  };
}
