// HTTPS and mTLS on the evaluator's HTTP surface, with certificates made by openssl at test time.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../test-support/certs.ts';
import { call } from '../test-support/https-client.ts';
import { BudgetEvaluator } from './evaluator.ts';
import { type EvaluatorServer, startEvaluatorServer } from './http.ts';

let pki: TestPki;
let dir: string;
let ev: BudgetEvaluator;
let http: EvaluatorServer;
let base: string;
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

beforeAll(async () => {
  pki = makeTestPki();
  dir = mkdtempSync(join(tmpdir(), 'burnrate-tls-'));
  writeFileSync(join(dir, 'budgets.yaml'), 'budgets: []\n');
  writeFileSync(join(dir, 'admin.tokens'), `${ADMIN_TOKEN}\n`);
  // The served certificate is a copy, replaced in place to test a rotation.
  copyFileSync(pki.server.cert, join(dir, 'tls.crt'));
  copyFileSync(pki.server.key, join(dir, 'tls.key'));
  ev = new BudgetEvaluator({
    configFile: join(dir, 'budgets.yaml'),
    prometheusUrl: 'http://127.0.0.1:9',
    alertmanagerUrls: ['http://127.0.0.1:9'],
  });
  http = await startEvaluatorServer(ev, 0, '127.0.0.1', {
    tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), clientCaFile: pki.ca },
    access: {
      adminTokenFile: join(dir, 'admin.tokens'),
      clientReadSubjects: ['dashboard-reader'],
      clientAdminSubjects: ['ops-admin'],
    },
  });
  base = `https://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await http?.close();
  await ev?.stop();
  pki?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const withCert = (c: { cert: string; key: string }) => ({
  ca: pki.read(pki.ca),
  cert: pki.read(c.cert),
  key: pki.read(c.key),
});

describe('HTTPS with mTLS', () => {
  it('refuses a plain-HTTP client', async () => {
    await expect(call(`http://127.0.0.1:${http.port}/healthz`)).rejects.toThrow(
      /socket hang up|ECONNRESET|Parse Error/,
    );
  });

  it('answers /healthz without a client certificate, nothing else', async () => {
    const ca = pki.read(pki.ca);
    expect((await call(`${base}/healthz`, { ca })).status).toBe(200);
    expect((await call(`${base}/api/v1/budgets`, { ca })).status).toBe(401);
    expect((await call(`${base}/metrics`, { ca })).status).toBe(401);
  });

  it('refuses a client certificate from another CA', async () => {
    const res = await call(`${base}/api/v1/admin/status`, withCert(pki.rogue));
    expect(res.status).toBe(401);
    expect((await call(`${base}/metrics`, withCert(pki.rogue))).status).toBe(401);
  });

  it('maps verified subjects to roles: the reader reads, the admin administers', async () => {
    expect((await call(`${base}/metrics`, withCert(pki.reader))).status).toBe(200);
    expect((await call(`${base}/api/v1/admin/status`, withCert(pki.reader))).status).toBe(403);
    expect((await call(`${base}/api/v1/admin/status`, withCert(pki.client))).status).toBe(200);
    const reload = await call(`${base}/api/v1/reload`, { method: 'POST', ...withCert(pki.client) });
    expect(JSON.parse(reload.body)).toMatchObject({
      ok: true,
      tls: 'reloaded',
      tokens: 'reloaded',
    });
  });

  it('takes a bearer token instead of a certificate', async () => {
    const ca = pki.read(pki.ca);
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await call(`${base}/api/v1/admin/status`, { ca, headers })).status).toBe(200);
    // A wrong token is refused even with a good certificate: the token decides when sent.
    const wrong = { authorization: 'Bearer not-the-token-0123456789' };
    expect(
      (await call(`${base}/metrics`, { ...withCert(pki.client), headers: wrong })).status,
    ).toBe(401);
  });

  it('serves a rotated certificate after reload; keeps the old one on a bad file', async () => {
    const serial = async () => {
      const { request } = await import('node:https');
      return new Promise<string>((resolve, reject) => {
        const req = request(`${base}/healthz`, { ca: pki.read(pki.ca), agent: false }, (res) => {
          resolve(
            String((res.socket as import('node:tls').TLSSocket).getPeerCertificate().serialNumber),
          );
          res.resume();
        });
        req.on('error', reject);
        req.end();
      });
    };
    const before = await serial();
    copyFileSync(pki.server2.cert, join(dir, 'tls.crt'));
    copyFileSync(pki.server2.key, join(dir, 'tls.key'));
    expect(http.reload().tls).toBe('reloaded');
    const after = await serial();
    expect(after).not.toBe(before);
    writeFileSync(join(dir, 'tls.key'), 'not a key\n');
    expect(http.reload()).toMatchObject({ ok: false, tls: 'rejected' });
    expect(await serial()).toBe(after);
  });
});
