// The `burnrate` connection flags and BURNRATE_PROMETHEUS_* variables, down to what Prometheus
// receives: secrets as values or files, the tenant and its header, the timeout, TLS (a CA and a
// client certificate, over the budget evaluator's client), and errors that show no secret.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttp,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../../../budget-evaluator/src/test-support/certs.ts';
import { runCli } from '../test-support/run-cli.ts';
import { clientFromArgs, UsageError } from './options.ts';

const VECTOR = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }] },
});
const seen: Array<{ headers: IncomingHttpHeaders; clientCn?: string }> = [];
let dir: string;
let pki: TestPki;
let plain: Server;
let secure: Server;
let url: string;
let tlsUrl: string;

function answer(req: IncomingMessage, res: ServerResponse) {
  req.resume();
  req.on('end', () => {
    const cert = (req.socket as TLSSocket).getPeerCertificate?.();
    seen.push({ headers: req.headers, clientCn: String(cert?.subject?.CN) });
    const refused = req.headers.authorization === 'Bearer wrong-s3cret';
    res.writeHead(refused ? 401 : 200, { 'content-type': 'application/json' });
    res.end(refused ? '{}' : VECTOR);
  });
}

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-finance-prom-'));
  pki = makeTestPki();
  plain = createHttp(answer);
  url = `http://127.0.0.1:${await listen(plain)}`;
  const tls = { cert: pki.read(pki.server.cert), key: pki.read(pki.server.key) };
  secure = createHttps({ ...tls, ca: pki.read(pki.ca), requestCert: true }, answer);
  tlsUrl = `https://127.0.0.1:${await listen(secure)}`;
});

afterAll(async () => {
  for (const s of [plain, secure]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
  pki?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** The headers Prometheus received for one query of the client built from flags and env. */
async function sent(flags: Record<string, string | boolean | string[]>, env = {}) {
  const client = clientFromArgs({ prometheus: url, ...flags }, env);
  await client.query('up', 0);
  return seen.at(-1)?.headers;
}
const usageError = (flags: Record<string, string>, env = {}) => {
  try {
    clientFromArgs(flags, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no error');
};
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('clientFromArgs', () => {
  it('takes secrets from the variables (values) or the file flags, which win', async () => {
    const token = { BURNRATE_PROMETHEUS_BEARER_TOKEN: 'env-t0k' };
    expect((await sent({}, token))?.authorization).toBe('Bearer env-t0k');
    const tokenFile = file('token', 'file-t0k\n');
    expect((await sent({ 'bearer-token-file': tokenFile }, token))?.authorization).toBe(
      'Bearer file-t0k',
    );
    const basicEnv = { BURNRATE_PROMETHEUS_BASIC_AUTH: 'u:p:w' };
    expect((await sent({}, basicEnv))?.authorization).toBe(basic('u', 'p:w'));
    const basicFile = file('basic', 'svc:pa55\n');
    expect((await sent({ 'basic-auth-file': basicFile }, basicEnv))?.authorization).toBe(
      basic('svc', 'pa55'),
    );
  });

  it('sends the tenant in X-Scope-OrgID, or in the header named by the flag', async () => {
    expect(await sent({}, { BURNRATE_PROMETHEUS_TENANT: 'acme' })).toMatchObject({
      'x-scope-orgid': 'acme',
    });
    const h = await sent({ 'prometheus-tenant': 't', 'prometheus-tenant-header': 'X-Tenant' });
    expect(h).toMatchObject({ 'x-tenant': 't' });
    expect(h?.['x-scope-orgid']).toBeUndefined();
    expect(await sent({ 'prometheus-header': ['X-Team: search'] })).toMatchObject({
      'x-team': 'search',
    });
  });

  it('reads the timeout in seconds; bad settings are usage errors without the secret', () => {
    expect(clientFromArgs({ 'prometheus-timeout': '90s' }, {}).timeoutMs).toBe(90_000);
    expect(clientFromArgs({}, { BURNRATE_PROMETHEUS_TIMEOUT: '5' }).timeoutMs).toBe(5_000);
    expect(clientFromArgs({}, {}).timeoutMs).toBe(60_000);
    expect(usageError({ 'prometheus-timeout': '0' })).toMatch(/^--prometheus-timeout/);
    expect(usageError({ prometheus: 'svc:hunter2@prom:9090' })).toBe(
      '--prometheus (or BURNRATE_PROMETHEUS_URL): expected an http(s) URL, got "***@prom:9090"',
    );
    const both = { BURNRATE_PROMETHEUS_BEARER_TOKEN: 't', BURNRATE_PROMETHEUS_BASIC_AUTH: 'u:p' };
    expect(usageError({}, both)).toBe('use either a bearer token or basic auth, not both');
    const bad = { BURNRATE_PROMETHEUS_BASIC_AUTH: 'no-colon-s3cret' };
    expect(usageError({}, bad)).toBe('BURNRATE_PROMETHEUS_BASIC_AUTH: expected user:password');
    const spaced = { BURNRATE_PROMETHEUS_BEARER_TOKEN: 'tok s3cret' };
    expect(usageError({}, spaced)).toBe('BURNRATE_PROMETHEUS_BEARER_TOKEN: the token has a space');
    const missing = join(dir, 'missing');
    expect(usageError({ 'bearer-token-file': missing })).toBe(
      `--bearer-token-file: cannot read "${missing}" (ENOENT)`,
    );
    expect(usageError({ prometheus: 'http://u:pw@prom', 'bearer-token-file': missing })).toMatch(
      /^--bearer-token-file and the credentials in the Prometheus URL: use one of/,
    );
  });

  it('reaches an HTTPS Prometheus with a CA and a client certificate (mTLS)', async () => {
    const tls = {
      prometheus: tlsUrl,
      'prometheus-ca-file': pki.ca,
      'prometheus-cert-file': pki.client.cert,
      'prometheus-key-file': pki.client.key,
    };
    expect(await clientFromArgs(tls, {}).query('up', 0)).toEqual([{ metric: {}, value: 1 }]);
    expect(seen.at(-1)?.clientCn).toBe('ops-admin');
    // The same from the variables; without the CA the server's certificate is not trusted.
    const env = {
      BURNRATE_PROMETHEUS_CA_FILE: pki.ca,
      BURNRATE_PROMETHEUS_CERT_FILE: pki.client.cert,
      BURNRATE_PROMETHEUS_KEY_FILE: pki.client.key,
    };
    await clientFromArgs({ prometheus: tlsUrl }, env).query('up', 0);
    const noCa = clientFromArgs({ ...tls, 'prometheus-ca-file': '' }, {});
    await expect(noCa.query('up', 0)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(usageError({ ...tls, 'prometheus-ca-file': join(dir, 'none.pem') })).toBe(
      `--prometheus-ca-file (or BURNRATE_PROMETHEUS_CA_FILE): cannot read "${join(dir, 'none.pem')}" (ENOENT)`,
    );
    expect(usageError({ prometheus: tlsUrl, 'prometheus-cert-file': pki.client.cert })).toMatch(
      /a client certificate needs both/,
    );
  });
});

describe('burnrate report (the connection through the CLI)', () => {
  const run = (argv: string[], env: NodeJS.ProcessEnv) => runCli(argv, Date.now(), env);

  it('lists the TLS flags; refused credentials exit 1 with a message and no secret', async () => {
    const help = await run(['report', '--help'], {});
    for (const flag of [
      '--prometheus-ca-file',
      '--prometheus-cert-file',
      '--prometheus-key-file',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const r = await run(['report', '--prometheus', url, '--period', '2025-02'], {
      BURNRATE_PROMETHEUS_BEARER_TOKEN: 'wrong-s3cret',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `burnrate report: Prometheus at ${url} refused the request (HTTP 401): check the credentials`,
    );
    expect(r.stderr).not.toContain('s3cret');
    const bad = await run(['report', '--prometheus-key-file', join(dir, 'none.pem')], {});
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--prometheus-cert-file/)]);
  });
});
