// The Prometheus client against a Mimir-like endpoint: HTTPS that checks the client certificate,
// the tenant header and the credentials, and answers the PromQL HTTP API.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../test-support/certs.ts';
import { PrometheusClient, PrometheusError } from './prometheus.ts';
import { ConnectionError } from './prometheus-connection.ts';

let pki: TestPki;
let dir: string;
let server: Server;
let url: string;
/** What the endpoint saw of each request. */
const seen: Array<{ tenant?: string; auth?: string; clientCn?: string; query: string }> = [];
/** The credentials the endpoint accepts (Authorization header values). */
let accepted: string[] = [];

beforeAll(async () => {
  pki = makeTestPki();
  dir = mkdtempSync(join(tmpdir(), 'burnrate-prom-tls-'));
  server = createServer(
    {
      cert: pki.read(pki.server.cert),
      key: pki.read(pki.server.key),
      ca: pki.read(pki.ca),
      requestCert: true,
      rejectUnauthorized: true, // no verified client certificate, no connection
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const socket = req.socket as TLSSocket;
        const query = new URLSearchParams(Buffer.concat(chunks).toString()).get('query') ?? '';
        const tenant = req.headers['x-scope-orgid'] as string | undefined;
        const auth = req.headers.authorization;
        seen.push({
          tenant,
          auth,
          clientCn: String(socket.getPeerCertificate().subject?.CN),
          query,
        });
        res.setHeader('content-type', 'application/json');
        if (!auth || !accepted.includes(auth)) {
          res
            .writeHead(401)
            .end('{"status":"error","errorType":"unauthorized","error":"bad credentials"}');
        } else if (tenant !== 'team-a') {
          res.writeHead(401).end('no org id');
        } else {
          const result = [{ metric: { team: 'search' }, value: [1_700_000_000, '12.34'] }];
          res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
        }
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  pki?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const tls = () => ({ caFile: pki.ca, certFile: pki.client.cert, keyFile: pki.client.key });

describe('PrometheusClient over mTLS with a tenant and credentials', () => {
  it('sends the tenant, basic auth (password from a file) and its client certificate', async () => {
    writeFileSync(join(dir, 'password'), 's3cret-pass\n');
    accepted = [basic('burnrate', 's3cret-pass')];
    const client = new PrometheusClient({
      url,
      connection: {
        ...tls(),
        headers: { 'X-Scope-OrgID': 'team-a' },
        basicAuth: { username: 'burnrate', passwordFile: join(dir, 'password') },
      },
    });
    const samples = await client.query('sum(burnrate_llm_cost_usd_total)', 1_700_000_000_000);
    expect(samples).toEqual([{ metric: { team: 'search' }, value: 12.34 }]);
    expect(seen.at(-1)).toMatchObject({ tenant: 'team-a', clientCn: 'ops-admin' });
    client.close();
  });

  it('sends a bearer token from a file, and re-reads it on reload', async () => {
    writeFileSync(join(dir, 'token'), 'tok-one\n');
    accepted = ['Bearer tok-two'];
    const client = new PrometheusClient({
      url,
      connection: {
        ...tls(),
        headers: { 'X-Scope-OrgID': 'team-a' },
        bearerTokenFile: join(dir, 'token'),
      },
    });
    const failed = await client.query('up', 0).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PrometheusError);
    expect(failed).toMatchObject({
      kind: 'auth',
      message: `Prometheus at ${url} refused the request (HTTP 401): check the credentials`,
    });
    expect((failed as Error).message).not.toContain('tok-one');
    writeFileSync(join(dir, 'token'), 'tok-two\n');
    client.reloadConnection();
    expect(await client.query('up', 0)).toHaveLength(1);
    client.close();
  });

  it('moves credentials out of the URL: sent as basic auth, never in a message', async () => {
    accepted = [basic('svc', 'url-pa55')];
    const withCreds = new URL(url);
    withCreds.username = 'svc';
    withCreds.password = 'url-pa55';
    const client = new PrometheusClient({
      url: withCreds.toString(),
      connection: { ...tls(), headers: { 'X-Scope-OrgID': 'team-a' } },
    });
    expect(client.url).toBe(url);
    expect(await client.query('up', 0)).toHaveLength(1);
    client.close();
    const gone = new PrometheusClient({ url: 'http://svc:url-pa55@127.0.0.1:9' });
    const err = (await gone.query('up', 0).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('Prometheus at http://127.0.0.1:9 unreachable: ECONNREFUSED');
  });

  it('fails without a client certificate, or without trusting the CA', async () => {
    accepted = ['Bearer tok-two'];
    const noCert = new PrometheusClient({ url, connection: { caFile: pki.ca } });
    const e1 = (await noCert.query('up', 0).catch((e: unknown) => e)) as PrometheusError;
    expect(e1.kind).toBe('unreachable');
    const noCa = new PrometheusClient({
      url,
      connection: { certFile: pki.client.cert, keyFile: pki.client.key },
    });
    const e2 = (await noCa.query('up', 0).catch((e: unknown) => e)) as PrometheusError;
    expect(e2.message).toMatch(
      /unreachable: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
    );
    // insecure-skip-verify: no server check (discouraged), the client certificate still goes.
    const skip = new PrometheusClient({
      url,
      connection: {
        certFile: pki.client.cert,
        keyFile: pki.client.key,
        insecureSkipVerify: true,
        headers: { 'X-Scope-OrgID': 'team-a' },
        bearerTokenFile: join(dir, 'token'),
      },
    });
    expect(await skip.query('up', 0)).toHaveLength(1);
    for (const c of [noCert, noCa, skip]) c.close();
  });

  it('names the setting of a bad file or value', () => {
    const names = { caFile: '--prometheus-ca-file (or BURNRATE_PROMETHEUS_CA_FILE)' };
    const make =
      (connection: ConstructorParameters<typeof PrometheusClient>[0]['connection']) => () =>
        new PrometheusClient({ url, connection });
    expect(make({ caFile: join(dir, 'missing.pem'), names })).toThrow(
      `--prometheus-ca-file (or BURNRATE_PROMETHEUS_CA_FILE): cannot read "${join(dir, 'missing.pem')}" (ENOENT)`,
    );
    writeFileSync(join(dir, 'not.pem'), 'hello\n');
    expect(make({ caFile: join(dir, 'not.pem'), names })).toThrow(/holds no PEM CERTIFICATE/);
    expect(make({ certFile: pki.client.cert })).toThrow(
      'certFile and keyFile: a client certificate needs both',
    );
    writeFileSync(join(dir, 'empty'), '\n');
    expect(make({ bearerTokenFile: join(dir, 'empty') })).toThrow(ConnectionError);
    expect(make({ headers: { 'Bad Header': 'x' } })).toThrow(
      '"Bad Header" is not a valid HTTP header name',
    );
  });
});
