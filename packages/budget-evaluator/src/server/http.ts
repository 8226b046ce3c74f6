import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { type AddressInfo, isIP } from 'node:net';
import type { BudgetEvaluator } from './evaluator.ts';
import { type Logger, silentLogger } from './log.ts';
import { type ReloadReport, reloadAll } from './reload.ts';
import { DEFAULT_MAX_BODY_BYTES, send } from './request.ts';
import { handle, type RouteContext } from './routes.ts';
import { AccessControl, type AccessOptions } from './security/access.ts';
import { HostCheck } from './security/hosts.ts';
import { loadTls, type TlsFiles } from './security/tls-files.ts';

export interface HttpOptions {
  /** Host names (besides IP addresses, localhost and the bind address) callers may use. */
  allowedHosts?: readonly string[];
  /** Bearer token files and mTLS subject lists (see security/access.ts). */
  access?: Omit<AccessOptions, 'mtls'>;
  /** Serve HTTPS (and mTLS with a client CA). */
  tls?: TlsFiles;
  maxBodyBytes?: number;
  log?: Logger;
}

/** Bounds against slow or huge requests. */
export const LIMITS = {
  maxHeaderSize: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
};

export interface EvaluatorServer {
  server: Server | HttpsServer;
  port: number;
  /** Auth is configured (token files or mTLS). */
  authenticated: boolean;
  /** Re-reads budgets, tokens, certificates and Prometheus secrets (SIGHUP). */
  reload: () => ReloadReport;
  close: () => Promise<void>;
}

/**
 * Serves /metrics, /api/v1/budgets[/name], /api/v1/admin/status, /api/v1/reload, /healthz and
 * /readyz over HTTP or HTTPS, with the Host check, auth and request limits. Throws
 * SecurityConfigError for an unusable token or certificate file.
 */
export async function startEvaluatorServer(
  ev: BudgetEvaluator,
  port: number,
  host: string,
  options: HttpOptions = {},
): Promise<EvaluatorServer> {
  const log = options.log ?? silentLogger;
  const tls = options.tls;
  const access = new AccessControl({ ...options.access, mtls: Boolean(tls?.clientCaFile) });
  const ctx: RouteContext = {
    ev,
    hosts: new HostCheck(host, options.allowedHosts),
    access,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log,
    reload: () => reload(),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(ctx, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
  const limits = { maxHeaderSize: LIMITS.maxHeaderSize, requestTimeout: LIMITS.requestTimeoutMs };
  let server: Server | HttpsServer;
  let reloadTls: (() => void) | undefined;
  if (tls) {
    const secure = createHttpsServer(
      {
        ...loadTls(tls),
        ...limits,
        // Ask for a client certificate, but let clients without one in: /healthz stays open
        // and a token still works; a certificate counts only when verified (access.ts).
        requestCert: Boolean(tls.clientCaFile),
        rejectUnauthorized: false,
      },
      onRequest,
    );
    reloadTls = () => secure.setSecureContext(loadTls(tls));
    server = secure;
  } else server = createServer(limits, onRequest);
  server.headersTimeout = LIMITS.headersTimeoutMs;
  server.keepAliveTimeout = LIMITS.keepAliveTimeoutMs;
  server.maxConnections = LIMITS.maxConnections;
  const reload = () =>
    reloadAll({
      ev,
      log,
      tokens:
        options.access?.readTokenFile || options.access?.adminTokenFile
          ? () => access.reload()
          : undefined,
      tls: reloadTls,
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (!access.enabled && !isLoopback(host)) {
    log(
      'warn',
      'listening beyond loopback without authentication: anyone who reaches the port can read every budget',
      {
        host,
        hint: 'set --read-token-file/--admin-token-file or --tls-client-ca-file',
      },
    );
  }
  return {
    server,
    port: serverPort(server),
    authenticated: access.enabled,
    reload,
    close: () => closeServer(server),
  };
}

/** Is `host` only reachable from this machine? */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Plain HTTP, no auth (reads open, admin endpoints off): the embedding API of tests. */
export async function startHttpServer(
  ev: BudgetEvaluator,
  port: number,
  host: string,
  options: Omit<HttpOptions, 'tls'> = {},
): Promise<Server> {
  return (await startEvaluatorServer(ev, port, host, options)).server as Server;
}

export function serverPort(server: Server | HttpsServer): number {
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server | HttpsServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
