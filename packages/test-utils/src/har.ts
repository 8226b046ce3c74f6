import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';

/** One recorded exchange, decoded: the body as the client would read it after decompression. */
export interface RecordedExchange {
  method: string;
  url: URL;
  requestBody?: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface HarHeader {
  name: string;
  value: string;
}
interface HarEntry {
  request: { method: string; url: string; postData?: { text?: string } };
  response: {
    status: number;
    headers: HarHeader[];
    content: { text?: string; encoding?: string; mimeType?: string };
  };
}

/** `test/fixtures/recorded` in this repository (provenance and licence: test/fixtures/README.md). */
export const RECORDED_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/recorded',
);

const DROP_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'set-cookie',
  'alt-svc',
  'date',
  'keep-alive',
]);

function decode(content: HarEntry['response']['content'], encoding: string | undefined): Buffer {
  const text = content.text ?? '';
  // Recorded bodies are base64 text, or a JSON array of base64 chunks (one per network chunk).
  let raw: Buffer;
  if (content.encoding === 'base64') {
    const parts = text.startsWith('[') ? (JSON.parse(text) as string[]) : [text];
    raw = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
  } else {
    raw = Buffer.from(text, 'utf8');
  }
  // Some recordings keep the content-encoding header but store the body decoded: decompress only
  // what really is compressed.
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    raw = gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
  } else if (content.encoding === 'base64' && encoding === 'br') raw = brotliDecompressSync(raw);
  else if (content.encoding === 'base64' && encoding === 'deflate') raw = inflateSync(raw);
  return raw;
}

/**
 * Reads a HAR file (path relative to RECORDED_DIR, or absolute). A body is decompressed only when
 * its bytes are compressed, also when a recorder stored it already decoded as text while keeping
 * the response's `content-encoding: gzip` header (the Anthropic recordings do).
 */
export function loadHar(file: string): RecordedExchange[] {
  const full = path.isAbsolute(file) ? file : path.join(RECORDED_DIR, file);
  const har = JSON.parse(readFileSync(full, 'utf8')) as { log: { entries: HarEntry[] } };
  return har.log.entries.map((e) => {
    const headers: Record<string, string> = {};
    let encoding: string | undefined;
    for (const h of e.response.headers) {
      const name = h.name.toLowerCase();
      if (name === 'content-encoding') encoding = h.value;
      if (!DROP_HEADERS.has(name)) headers[name] = h.value;
    }
    return {
      method: e.request.method.toUpperCase(),
      url: new URL(e.request.url),
      requestBody: e.request.postData?.text,
      status: e.response.status,
      headers,
      body: decode(e.response.content, encoding),
    };
  });
}
