import { readFileSync } from 'node:fs';

/**
 * How a client reaches a Prometheus-compatible store (Prometheus, Mimir, Cortex, Thanos,
 * VictoriaMetrics): extra headers (a tenant), basic auth or a bearer token (given as a value, or
 * read from a file), and TLS (a CA, a client certificate). Files are re-read by {@link load} (at
 * start and on SIGHUP); secrets are never part of a message or a log line.
 */
export interface PrometheusConnection {
  /** Extra request headers, e.g. { 'X-Scope-OrgID': 'team-a' }. */
  headers?: Record<string, string>;
  /** Basic auth: the user, and the password as a value or in a file (its first line). */
  basicAuth?: { username: string; password?: string; passwordFile?: string };
  /** Basic auth as `user:password` (the password may hold ":") in a file (its first line). */
  basicAuthFile?: string;
  /** A bearer token as a value (e.g. from an environment variable)… */
  bearerToken?: string;
  /** … or in a file (its first line). */
  bearerTokenFile?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Skips the server certificate check (discouraged: anyone on the path can answer). */
  insecureSkipVerify?: boolean;
  /** Names the setting in errors, e.g. { bearerTokenFile: '--prometheus-bearer-token-file' }. */
  names?: Partial<Record<Exclude<keyof PrometheusConnection, 'headers' | 'names'>, string>>;
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
  const given = (['basicAuth', 'basicAuthFile', 'bearerToken', 'bearerTokenFile'] as const)
    .filter((k) => conn[k] !== undefined)
    .map((k) => n[k] ?? k);
  if (urlAuth) given.push('the credentials in the Prometheus URL');
  if (given.length > 1) {
    throw new ConnectionError(
      `${given.join(' and ')}: use one of a bearer token, basic auth or credentials in the Prometheus URL, not several`,
    );
  }
  const auth = urlAuth
    ? basic({
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      })
    : authorization(conn);
  if (auth !== undefined) headers.authorization = auth;
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

function basic(c: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** Splits `user:password` (the password may hold ":"); null without a user and a colon. */
export function userPassword(text: string): { username: string; password: string } | null {
  const i = text.indexOf(':');
  return i <= 0 ? null : { username: text.slice(0, i), password: text.slice(i + 1) };
}

/** The Authorization header of the auth settings (one at most, checked by the caller). */
function authorization(conn: PrometheusConnection): string | undefined {
  const n = conn.names ?? {};
  if (conn.basicAuth) {
    const { username, password, passwordFile } = conn.basicAuth;
    const where =
      n.basicAuth ?? (passwordFile === undefined ? 'basicAuth.password' : 'basicAuth.passwordFile');
    if (!username || username.includes(':')) {
      throw new ConnectionError(`${where}: the user name must be set and cannot contain ":"`);
    }
    if (password !== undefined && passwordFile !== undefined) {
      throw new ConnectionError(`${where}: give the password or a file holding it, not both`);
    }
    const secret = passwordFile === undefined ? password : readSecret(passwordFile, where);
    if (secret === undefined) {
      throw new ConnectionError(`${where}: give the password or a file holding it`);
    }
    return basic({ username, password: secret });
  }
  if (conn.basicAuthFile !== undefined) {
    const where = n.basicAuthFile ?? 'basicAuthFile';
    const credentials = userPassword(readSecret(conn.basicAuthFile, where));
    if (credentials === null) {
      throw new ConnectionError(
        `${where}: "${conn.basicAuthFile}" holds no user:password (line 1)`,
      );
    }
    return basic(credentials);
  }
  const file = conn.bearerTokenFile;
  if (file === undefined && conn.bearerToken === undefined) return undefined;
  const where =
    file === undefined
      ? (n.bearerToken ?? 'bearerToken')
      : (n.bearerTokenFile ?? 'bearerTokenFile');
  const token = file === undefined ? (conn.bearerToken ?? '').trim() : readSecret(file, where);
  const line = file === undefined ? '' : ' (line 1)';
  if (!token) throw new ConnectionError(`${where}: the token is empty`);
  if (/\s/.test(token)) throw new ConnectionError(`${where}: the token has a space${line}`);
  return `Bearer ${token}`;
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

/** A value that should have been a URL, for a message: whatever precedes an "@" is masked. */
export function maskCredentials(value: string): string {
  return value.replace(/^([^/]*\/\/)?[^@/]*@/, '$1***@');
}
