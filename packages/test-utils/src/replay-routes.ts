import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedExchange } from './har.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** A recorded exchange, optionally delivered in parts (a stream as the network delivers it). */
export interface ReplayExchange extends RecordedExchange {
  parts?: readonly Buffer[];
}

/**
 * The request → recording matching every replay transport shares (the HTTP and HTTP/2 replay
 * servers, the in-memory fetch and AWS request handler): by method and decoded path (never body),
 * in order per key, the last recording of a key repeating forever. A responder registered for a
 * key answers the next request to it first; a path with a version prefix (`/v1/...`) falls back to
 * the recording without it.
 */
export class ReplayRoutes<E extends ReplayExchange = ReplayExchange> {
  readonly requests: ReceivedRequest[] = [];
  private readonly queues = new Map<string, { items: E[]; next: number }>();
  private readonly responders = new Map<string, ((req: ReceivedRequest) => E)[]>();

  constructor(exchanges: readonly E[] = []) {
    this.add(exchanges);
  }

  add(exchanges: readonly E[]): void {
    for (const ex of exchanges) {
      const key = routeKey(ex.method, ex.url.pathname);
      const q = this.queues.get(key) ?? { items: [], next: 0 };
      q.items.push(ex);
      this.queues.set(key, q);
    }
  }

  respond(method: string, path: string, fn: (req: ReceivedRequest) => E): void {
    const key = routeKey(method, path);
    const list = this.responders.get(key) ?? [];
    list.push(fn);
    this.responders.set(key, list);
  }

  /** True when the next request to method+path goes to a responder (which needs the body). */
  hasResponder(method: string, path: string): boolean {
    return (this.responders.get(routeKey(method, path))?.length ?? 0) > 0;
  }

  /**
   * The recording answering a request, or undefined (the caller answers 404 naming notFoundMessage()).
   * `received` is recorded in `requests` when given (a transport may skip building it).
   */
  answer(method: string, path: string, received?: ReceivedRequest): E | undefined {
    if (received) this.requests.push(received);
    const key = routeKey(method, path);
    const responder = this.responders.get(key)?.shift();
    if (responder) return responder(received ?? receivedRequest(method, path, {}, ''));
    const q = this.queues.get(key) ?? this.queues.get(routeKey(method, stripVersionPrefix(path)));
    if (!q || q.items.length === 0) return undefined;
    const ex = q.items[Math.min(q.next, q.items.length - 1)];
    q.next++;
    return ex;
  }
}

/** `METHOD /decoded/path`: the key requests and recordings are matched by. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${safeDecode(path)}`;
}

/** The message of the 404 an unmatched request gets (names the key, so a test fails loudly). */
export function notFoundMessage(method: string, path: string): string {
  return `no recording for ${routeKey(method, path)}`;
}

export function receivedRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: string,
): ReceivedRequest {
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { method: method.toUpperCase(), path, headers, body, json };
}

export function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function stripVersionPrefix(p: string): string {
  return p.replace(/^\/(v\d+[a-z0-9]*)\//, '/');
}
