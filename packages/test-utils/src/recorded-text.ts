import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import { RECORDED_DIR, type RecordedExchange } from './har.ts';

interface HarEntry {
  request: { method: string; url: string; postData?: { text?: string } };
  response: {
    status: number;
    headers: { name: string; value: string }[];
    content: { text?: string; encoding?: string };
  };
}

const DROP = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'set-cookie',
  'alt-svc',
  'date',
  'keep-alive',
]);

/**
 * Reads a HAR file like `loadHar`, also when a recorder stored the body already decoded as text
 * while keeping the response's `content-encoding: gzip` header (the Anthropic recordings do):
 * a body is decompressed only when its bytes are compressed.
 */
export function loadRecording(file: string): RecordedExchange[] {
  const full = path.isAbsolute(file) ? file : path.join(RECORDED_DIR, file);
  const har = JSON.parse(readFileSync(full, 'utf8')) as { log: { entries: HarEntry[] } };
  return har.log.entries.map((e) => {
    const headers: Record<string, string> = {};
    let encoding: string | undefined;
    for (const h of e.response.headers) {
      const name = h.name.toLowerCase();
      if (name === 'content-encoding') encoding = h.value;
      if (!DROP.has(name)) headers[name] = h.value;
    }
    const text = e.response.content.text ?? '';
    let body: Buffer;
    if (e.response.content.encoding === 'base64') {
      const parts = text.startsWith('[') ? (JSON.parse(text) as string[]) : [text];
      body = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
      if (encoding === 'gzip' || (body[0] === 0x1f && body[1] === 0x8b))
        body = gunzipSync(body, { finishFlush: constants.Z_SYNC_FLUSH });
      else if (encoding === 'br') body = brotliDecompressSync(body);
      else if (encoding === 'deflate') body = inflateSync(body);
    } else {
      body = Buffer.from(text, 'utf8');
    }
    return {
      method: e.request.method.toUpperCase(),
      url: new URL(e.request.url),
      requestBody: e.request.postData?.text,
      status: e.response.status,
      headers,
      body,
    };
  });
}
