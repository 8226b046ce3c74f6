import type { IncomingHttpHeaders } from 'node:http';
import {
  notFoundMessage,
  type ReceivedRequest,
  type ReplayExchange,
  ReplayRoutes,
  receivedRequest,
} from './replay-routes.ts';

export interface ReplayTransportOptions {
  /**
   * Keeps every request (method, path, headers, body, parsed JSON) in `requests` (default true).
   * Benches turn it off: reading and parsing each request body would be timed on both sides.
   */
  record?: boolean;
}

export interface ReplayFetch {
  /** A `fetch` serving the recordings: give it to the client SDK (no network, no server). */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly requests: ReceivedRequest[];
  /** Adds responses, matched like startReplayServer's: method and path, in order per key. */
  add(exchanges: readonly ReplayExchange[]): void;
  /** Answers the next request to method+path from a function of the request. */
  respond(method: string, path: string, fn: (req: ReceivedRequest) => ReplayExchange): void;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * An in-memory `fetch` answering from recorded exchanges, with the replay server's matching
 * (replay-routes.ts): each call gets a fresh `Response` whose body is a ReadableStream of the
 * recorded bytes (one chunk, or the exchange's `parts`), so the SDK parses JSON and SSE as it does
 * from the network. Unmatched requests get 404 with a message naming the key. What the package
 * benches use, like the OpenAI bench's in-memory fetch: the SDK plus the instrumentation, without
 * loopback HTTP's cost and noise.
 */
export function createReplayFetch(
  exchanges: readonly ReplayExchange[] = [],
  options: ReplayTransportOptions = {},
): ReplayFetch {
  const routes = new ReplayRoutes(exchanges);
  const record = options.record ?? true;
  const replayFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    let received: ReceivedRequest | undefined;
    if (record || routes.hasResponder(method, url.pathname)) {
      const copy = new Request(request ?? url, init);
      received = receivedRequest(method, url.pathname, headersOf(copy.headers), await copy.text());
    }
    const ex = routes.answer(method, url.pathname, received);
    if (!ex) {
      return Response.json(
        { error: { message: notFoundMessage(method, url.pathname) } },
        { status: 404 },
      );
    }
    const headers = { ...ex.headers, 'content-length': String(ex.body.length) };
    return new Response(NULL_BODY_STATUS.has(ex.status) ? null : bodyStream(ex), {
      status: ex.status,
      headers,
    });
  };
  return {
    fetch: replayFetch,
    requests: routes.requests,
    add: (list) => routes.add(list),
    respond: (method, path, fn) => routes.respond(method, path, fn),
  };
}

function bodyStream(ex: ReplayExchange): ReadableStream<Uint8Array> {
  const parts = ex.parts ?? [ex.body];
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(new Uint8Array(parts[i++]));
      else controller.close();
    },
  });
}

function headersOf(h: Headers): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  h.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
