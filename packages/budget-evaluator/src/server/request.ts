import type { IncomingMessage, ServerResponse } from 'node:http';

/** 16 KiB: the only body the API reads is reload's (empty, or a small JSON object). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** The path, percent-decoded; a malformed encoding is a 400 (not an exception). */
export function requestPath(req: IncomingMessage): string {
  let raw = req.url ?? '/';
  if (!raw.startsWith('/')) throw new HttpError(400, 'bad request: malformed request target');
  raw = raw.split('?')[0].split('#')[0];
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'bad request: malformed percent-encoding in the path');
  }
  if (path.includes('\0')) throw new HttpError(400, 'bad request: NUL in the path');
  return path.replace(/\/+$/, '') || '/';
}

/**
 * Past this many bytes a too-large body is not read to its end: the answer (413) closes the
 * connection at once. Below it the body is read and dropped first, so the client sees the 413
 * rather than a reset connection.
 */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * Reads the body, at most `max` bytes: a bigger one (announced or sent) is a 413. Chunked
 * bodies are counted as they arrive.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > DRAIN_LIMIT) return Promise.reject(tooLarge(max, true));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      reject(err);
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > DRAIN_LIMIT) fail(tooLarge(max, true));
      else if (size <= max) chunks.push(c);
    });
    req.on('end', () => {
      if (size > max) fail(tooLarge(max, false));
      else if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', fail);
  });
}

function tooLarge(max: number, close: boolean): HttpError {
  return new HttpError(
    413,
    `request body too large (at most ${max} bytes)`,
    close ? { connection: 'close' } : {},
  );
}

/** A JSON object body, or none: anything else is a 400 (or 415 for another media type). */
export function jsonObjectBody(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'expected an application/json body (or none)');
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed JSON body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'expected a JSON object body');
  }
  return value as Record<string, unknown>;
}
