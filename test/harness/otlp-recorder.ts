import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Attrs, SpanSpec } from './spans.ts';

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
type OtlpAttr = { key: string; value: OtlpValue };
type OtlpJson = {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttr[] };
    scopeSpans?: {
      spans?: { name?: string; attributes?: OtlpAttr[]; status?: { code?: number | string } }[];
    }[];
  }[];
};

function attrs(list: OtlpAttr[] | undefined): Attrs {
  const out: Attrs = {};
  for (const { key, value } of list ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = Number(value.doubleValue);
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}

/** Spans of one OTLP/HTTP JSON export request, as SpanSpecs. */
export function decodeOtlpJson(body: OtlpJson): SpanSpec[] {
  const out: SpanSpec[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const code = s.status?.code;
        const status =
          code === 2 || code === 'STATUS_CODE_ERROR'
            ? 'error'
            : code === 1 || code === 'STATUS_CODE_OK'
              ? 'ok'
              : 'unset';
        out.push({ name: s.name, resource, attributes: attrs(s.attributes), status });
      }
    }
  }
  return out;
}

export type OtlpRecorder = {
  /** Point a span source's OTLP/HTTP exporter here (base URL, no /v1/traces). */
  readonly url: string;
  /** Spans the Collector accepted (2xx), in arrival order. */
  readonly spans: SpanSpec[];
  /** Every export request: what the recorder answered. */
  readonly requests: { status: number; spans: number; forwarded: boolean }[];
  /** The next `count` requests get a 503 without reaching the Collector (the client retries). */
  rejectNext(count: number): void;
  stop(): Promise<void>;
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * An OTLP/HTTP JSON proxy in front of a Collector that records the spans the Collector
 * accepted, so a test can compute the expected metrics from exactly what was delivered,
 * whatever produced the spans (the SDK sender here, or a real service's exporter). It can
 * also refuse requests to make the client retry.
 */
export async function startOtlpRecorder(forwardTo: string): Promise<OtlpRecorder> {
  const spans: SpanSpec[] = [];
  const requests: OtlpRecorder['requests'] = [];
  let toReject = 0;
  const server: Server = createServer(async (req, res) => {
    try {
      let body = await readBody(req);
      const type = req.headers['content-type'] ?? '';
      if (!type.includes('json')) {
        res.writeHead(415).end('the OTLP recorder reads OTLP/HTTP JSON only');
        requests.push({ status: 415, spans: 0, forwarded: false });
        return;
      }
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const decoded = decodeOtlpJson(JSON.parse(body.toString('utf8')) as OtlpJson);
      if (toReject > 0) {
        toReject--;
        requests.push({ status: 503, spans: decoded.length, forwarded: false });
        res.writeHead(503).end();
        return;
      }
      const upstream = await fetch(`${forwardTo}${req.url ?? '/v1/traces'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(body),
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      if (upstream.ok) spans.push(...decoded);
      requests.push({ status: upstream.status, spans: decoded.length, forwarded: true });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(answer);
    } catch (err) {
      requests.push({ status: 502, spans: 0, forwarded: false });
      res.writeHead(502).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    rejectNext: (count) => {
      toReject += count;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
