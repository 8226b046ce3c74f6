import { readFileSync } from 'node:fs';

/**
 * How the evaluator reaches a Prometheus-compatible store (Prometheus, Mimir, Cortex, Thanos,
 * VictoriaMetrics): extra headers (a tenant), basic auth or a bearer token read from files, and
 * TLS (a CA, a client certificate). Secrets live in files only, re-read by {@link load} (at
 * start and on SIGHUP); they are never part of a message or a log line.
 */
export interface PrometheusConnection {
  /** Extra request headers, e.g. { 'X-Scope-OrgID': 'team-a' }. */
  headers?: Record<string, string>;
  basicAuth?: { username: string; passwordFile: string };
  bearerTokenFile?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Skips the server certificate check (discouraged: anyone on the path can answer). */
  insecureSkipVerify?: boolean;
  /** Names the setting in errors, e.g. { bearerTokenFile: '--prometheus-bearer-token-file' }. */
  names?: Partial<
    Record<'basicAuth' | 'bearerTokenFile' | 'caFile' | 'certFile' | 'keyFile', string>
  >;
}

/** The connection settings read from their files: what each request uses. */
export interface ResolvedConnection {
  headers: Record<string, string>;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
}

/** A connection setting that cannot be used: the message names the flag (or field) and file. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the client itself or by the auth settings: an extra header may not override them.
const RESERVED = new Set(['authorization', 'content-type', 'content-length', 'host', 'connection']);

function readFile(file: string, where: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConnectionError(
      `${where}: cannot read "${file}" (${(err as { code?: string }).code ?? 'error'})`,
    );
  }
}

/** The one secret a file holds: its first line, trimmed; an empty file is an error. */
function readSecret(file: string, where: string): string {
  const text = readFile(file, where).toString('utf8');
  const first = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!first) throw new ConnectionError(`${where}: "${file}" is empty (line 1)`);
  return first;
}

/** Checks one extra header; `where` names the flag or field. */
export function checkHeader(name: string, value: string, where: string): void {
  if (!HEADER_NAME.test(name)) {
    throw new ConnectionError(`${where}: "${name}" is not a valid HTTP header name`);
  }
  if (RESERVED.has(name.toLowerCase())) {
    throw new ConnectionError(
      `${where}: the header "${name}" cannot be set this way (use the auth settings)`,
    );
  }
  if (/[\r\n\0]/.test(value)) {
    throw new ConnectionError(`${where}: the value of "${name}" has a line break`);
  }
}

/**
 * Reads the files of `conn` (and the credentials of `url`, which are moved into an
 * Authorization header: fetch and logs never see them). Throws {@link ConnectionError}.
 */
export function load(conn: PrometheusConnection, url: URL): ResolvedConnection {
  const n = conn.names ?? {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(conn.headers ?? {})) {
    checkHeader(name, value, 'prometheus header');
    headers[name] = value;
  }
  const urlAuth = url.username !== '' || url.password !== '';
  const kinds = [urlAuth, conn.basicAuth !== undefined, conn.bearerTokenFile !== undefined];
  if (kinds.filter(Boolean).length > 1) {
    throw new ConnectionError(
      `${n.bearerTokenFile ?? 'bearerTokenFile'}: use one of a bearer token, basic auth or credentials in the Prometheus URL, not several`,
    );
  }
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  if (urlAuth) {
    headers.authorization = basic(
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
    );
  } else if (conn.basicAuth) {
    const where = n.basicAuth ?? 'basicAuth.passwordFile';
    if (!conn.basicAuth.username || conn.basicAuth.username.includes(':')) {
      throw new ConnectionError(`${where}: the user name must be set and cannot contain ":"`);
    }
    headers.authorization = basic(
      conn.basicAuth.username,
      readSecret(conn.basicAuth.passwordFile, where),
    );
  } else if (conn.bearerTokenFile) {
    const where = n.bearerTokenFile ?? 'bearerTokenFile';
    const token = readSecret(conn.bearerTokenFile, where);
    if (/\s/.test(token)) throw new ConnectionError(`${where}: the token has a space (line 1)`);
    headers.authorization = `Bearer ${token}`;
  }
  if ((conn.certFile === undefined) !== (conn.keyFile === undefined)) {
    throw new ConnectionError(
      `${n.certFile ?? 'certFile'} and ${n.keyFile ?? 'keyFile'}: a client certificate needs both`,
    );
  }
  const tls: ResolvedConnection['tls'] = { rejectUnauthorized: conn.insecureSkipVerify !== true };
  if (conn.caFile) tls.ca = pem(conn.caFile, n.caFile ?? 'caFile', 'CERTIFICATE');
  if (conn.certFile) tls.cert = pem(conn.certFile, n.certFile ?? 'certFile', 'CERTIFICATE');
  if (conn.keyFile) tls.key = pem(conn.keyFile, n.keyFile ?? 'keyFile', 'PRIVATE KEY');
  return { headers, tls };
}

/** A PEM file holding at least one block of `kind` (any "… PRIVATE KEY" for keys). */
function pem(file: string, where: string, kind: string): Buffer {
  const data = readFile(file, where);
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(data.toString('latin1'))) {
    throw new ConnectionError(`${where}: "${file}" holds no PEM ${kind} (line 1)`);
  }
  return data;
}

/** The URL without user:password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return '<invalid url>';
  }
}
