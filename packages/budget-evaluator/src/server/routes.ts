import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BudgetEvaluator } from './evaluator.ts';
import type { Logger } from './log.ts';
import { publicStatus } from './public-status.ts';
import type { ReloadReport } from './reload.ts';
import { HttpError, jsonObjectBody, readBody, requestPath, send } from './request.ts';
import type { AccessControl } from './security/access.ts';
import type { HostCheck } from './security/hosts.ts';

export interface RouteContext {
  ev: BudgetEvaluator;
  hosts: HostCheck;
  access: AccessControl;
  maxBodyBytes: number;
  log: Logger;
  reload: () => ReloadReport;
}

type Need = 'open' | 'read' | 'admin';
interface Route {
  path: string | ((p: string) => boolean);
  methods: readonly string[];
  need: Need;
  run: (
    ctx: RouteContext,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ) => Promise<void> | void;
}

const READ = ['GET', 'HEAD'] as const;
const BUDGET_PREFIX = '/api/v1/budgets/';

const ROUTES: readonly Route[] = [
  {
    path: '/healthz',
    methods: READ,
    need: 'open',
    run: (_c, _p, _q, res) => send(res, 200, 'ok\n', 'text/plain'),
  },
  {
    path: '/readyz',
    methods: READ,
    need: 'open',
    run: ({ ev }, _p, _q, res) => {
      if (ev.ready) send(res, 200, 'ready\n', 'text/plain');
      else send(res, 503, 'not ready: first evaluation pending\n', 'text/plain');
    },
  },
  {
    path: '/metrics',
    methods: READ,
    need: 'read',
    run: async ({ ev }, _p, _q, res) =>
      send(res, 200, await ev.metrics.registry.metrics(), ev.metrics.registry.contentType),
  },
  {
    path: '/api/v1/budgets',
    methods: READ,
    need: 'read',
    run: ({ ev }, _p, _q, res) => {
      const doc = publicStatus(ev.status());
      if (doc.lastSuccessAt === null)
        send(res, 503, { error: 'no successful evaluation yet', ...doc });
      else send(res, 200, doc);
    },
  },
  {
    path: (p) => p.startsWith(BUDGET_PREFIX),
    methods: READ,
    need: 'read',
    run: ({ ev }, path, _q, res) => {
      const name = path.slice(BUDGET_PREFIX.length);
      const budget = ev.status().budgets.find((b) => b.name === name);
      if (budget) send(res, 200, budget);
      else throw new HttpError(404, 'no evaluated budget with this name');
    },
  },
  {
    path: '/api/v1/admin/status',
    methods: READ,
    need: 'admin',
    run: ({ ev }, _p, _q, res) => send(res, 200, ev.status()),
  },
  {
    path: '/api/v1/reload',
    methods: ['POST'],
    need: 'admin',
    run: ({ reload }, _p, req, res, body) => {
      jsonObjectBody(req, body);
      const report = reload();
      send(res, report.ok ? 200 : 422, report);
    },
  },
];

export const PATHS = [
  '/api/v1/budgets',
  '/metrics',
  '/healthz',
  '/readyz',
  '/api/v1/admin/status',
  '/api/v1/reload',
];

function authorize(ctx: RouteContext, need: Need, req: IncomingMessage): void {
  if (need === 'open') return;
  if (need === 'admin' && !ctx.access.enabled) {
    throw new HttpError(
      403,
      'admin endpoints are off: configure --admin-token-file or --tls-client-ca-file',
    );
  }
  const { role, problem } = ctx.access.decide(req);
  if (role === 'none') {
    throw new HttpError(401, `unauthorized: ${problem ?? 'no credentials'}`, {
      'www-authenticate': 'Bearer realm="burnrate-evaluator"',
    });
  }
  if (need === 'admin' && role !== 'admin')
    throw new HttpError(403, 'forbidden: needs an admin token');
}

/** One request: host check, path, method, credentials, body cap, then the route. */
export async function handle(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-request-id', requestId);
  let path = '?';
  try {
    if (!ctx.hosts.allows(req.headers.host)) {
      throw new HttpError(
        421,
        'unknown Host: the evaluator answers only the names in --allowed-hosts',
      );
    }
    if (!ctx.hosts.allowsOrigin(req.headers.origin)) {
      throw new HttpError(403, 'cross-origin requests are refused');
    }
    path = requestPath(req);
    const route = ROUTES.find((r) => (typeof r.path === 'string' ? r.path === path : r.path(path)));
    if (!route) throw new HttpError(404, 'not found');
    const method = req.method ?? '';
    if (!route.methods.includes(method)) {
      throw new HttpError(405, 'method not allowed', { allow: route.methods.join(', ') });
    }
    authorize(ctx, route.need, req);
    const body = await readBody(req, ctx.maxBodyBytes);
    await route.run(ctx, path, req, res, body);
  } catch (err) {
    const http = err instanceof HttpError ? err : undefined;
    const status = http?.status ?? 500;
    // Logged without credentials, query string or body; the answer names only the request id.
    ctx.log(
      status >= 500 ? 'error' : 'warn',
      status >= 500 ? 'request failed' : 'request refused',
      {
        requestId,
        method: req.method,
        path: path.slice(0, 200),
        status,
        error: http ? http.message : err instanceof Error ? err.message : String(err),
        remote: req.socket.remoteAddress,
      },
    );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const headers = { ...http?.headers };
    const body: Record<string, unknown> = {
      error: http ? http.message : 'internal error',
      requestId,
    };
    if (status === 404 && http?.message === 'not found') body.paths = PATHS;
    send(res, status, body, 'application/json', headers);
  }
}
