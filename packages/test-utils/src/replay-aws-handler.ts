import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { ReplayTransportOptions } from './replay-fetch.ts';
import {
  notFoundMessage,
  type ReceivedRequest,
  type ReplayExchange,
  ReplayRoutes,
  receivedRequest,
} from './replay-routes.ts';

/** The parts of a Smithy `HttpRequest` (@smithy/protocol-http) the handler reads. */
export interface SmithyRequestLike {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * A Smithy `HttpResponse` (@smithy/protocol-http 5): the SDK recognises one by shape
 * (`HttpResponse.isInstance`: a numeric statusCode and a headers object); in Node the body is a
 * Readable.
 */
export interface SmithyResponseLike {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Readable;
}

export interface ReplayRequestHandler {
  /** What the AWS SDK v3 calls for each request (its `requestHandler` option). */
  handle(request: SmithyRequestLike): Promise<{ response: SmithyResponseLike }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
  readonly requests: ReceivedRequest[];
  add(exchanges: readonly ReplayExchange[]): void;
  respond(method: string, path: string, fn: (req: ReceivedRequest) => ReplayExchange): void;
}

/**
 * An in-memory `requestHandler` for AWS SDK v3 clients (Bedrock Runtime), answering from recorded
 * exchanges with the replay server's matching (replay-routes.ts, paths decoded: the SDK sends
 * `%3A` in model ids). Each call gets a fresh Node Readable of the recorded body, one chunk per
 * `parts` entry (an event-stream as the service flushes it), so the SDK decodes event-streams as
 * from the network. Unmatched requests get 404 with the key in the message.
 */
export function createReplayRequestHandler(
  exchanges: readonly ReplayExchange[] = [],
  options: ReplayTransportOptions = {},
): ReplayRequestHandler {
  const routes = new ReplayRoutes(exchanges);
  const record = options.record ?? true;
  return {
    async handle(request) {
      const { method, path } = request;
      const received =
        record || routes.hasResponder(method, path)
          ? receivedRequest(method, path, lowerCase(request.headers), bodyText(request.body))
          : undefined;
      const ex = routes.answer(method, path, received);
      if (!ex) {
        const body = Buffer.from(JSON.stringify({ message: notFoundMessage(method, path) }));
        return {
          response: {
            statusCode: 404,
            headers: { 'content-type': 'application/json' },
            body: Readable.from([body], { objectMode: false }),
          },
        };
      }
      const headers = { ...ex.headers, 'content-length': String(ex.body.length) };
      const parts = (ex.parts ?? [ex.body]).map((p) => Buffer.from(p));
      return {
        response: {
          statusCode: ex.status,
          headers,
          body: Readable.from(parts, { objectMode: false }),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
    requests: routes.requests,
    add: (list) => routes.add(list),
    respond: (method, path, fn) => routes.respond(method, path, fn),
  };
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

function lowerCase(headers: Record<string, string>): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
