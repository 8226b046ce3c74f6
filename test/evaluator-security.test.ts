// End to end: the budget evaluator's CLI serving HTTPS with token files and mTLS, reading a real
// Prometheus (Debian 2.42) that demands a client certificate (its --web.config.file), and the
// checks an operator would make: who may read what, what leaks, what the log holds.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../packages/budget-evaluator/src/test-support/certs.ts';
import {
  type FakeExporter,
  startFakeExporter,
} from '../packages/budget-evaluator/src/test-support/fake-servers.ts';
import { call } from '../packages/budget-evaluator/src/test-support/https-client.ts';
import {
  type AlertmanagerHandle,
  freePort,
  type ManagedProcess,
  type PrometheusHandle,
  spawnEvaluator,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type WebhookReceiver,
  waitUntil,
} from './harness/index.ts';

const LLM = 'burnrate_llm_cost_usd_total';
const READ_TOKEN = 'dashboards-3f9a1c7e5b2d4a60';
const ADMIN_TOKEN = 'ops-admin-8e1b6d2f0c4a9e37';
const ROTATED = 'dashboards-next-71c0aa92be3f';
const PROM_BEARER = 'mimir-bearer-5d7e0a1b2c3d';

let pki: TestPki;
let dir: string;
let exporter: FakeExporter;
let prometheus: PrometheusHandle;
let promUrl: string;
let hook: WebhookReceiver;
let am: AlertmanagerHandle;
let evaluator: ManagedProcess;
let base: string;

const client = () => ({
  ca: pki.read(pki.ca),
  cert: pki.read(pki.client.cert),
  key: pki.read(pki.client.key),
});
const bearer = (t: string) => ({ ca: pki.read(pki.ca), headers: { authorization: `Bearer ${t}` } });
const logText = () => readFileSync(evaluator.logFile, 'utf8');

beforeAll(async () => {
  pki = makeTestPki();
  dir = mkdtempSync(join(tmpdir(), 'burnrate-evsec-'));
  exporter = await startFakeExporter();
  exporter.set(LLM, { team: 'search', service: 'api', model: 'gpt-4o' }, 1.25);

  // A real Prometheus that only talks TLS to clients with a certificate from our CA.
  prometheus = await startPrometheus({
    scrapeTargets: [exporter.target],
    webConfig: {
      tls_server_config: {
        cert_file: pki.server.cert,
        key_file: pki.server.key,
        client_ca_file: pki.ca,
        client_auth_type: 'RequireAndVerifyClientCert',
      },
    },
    ready: async (url) =>
      (await call(`${url}/-/ready`, client()).catch(() => undefined))?.status === 200,
  });
  promUrl = prometheus.url;
  hook = await startWebhookReceiver();
  am = await startAlertmanager({ webhookUrl: hook.url });

  writeFileSync(
    join(dir, 'budgets.yaml'),
    `budgets:
  - name: search-monthly
    selector: { team: search }
    period: monthly
    limit_usd: 100
    enforcement: { mode: block }
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
`,
  );
  writeFileSync(join(dir, 'read.tokens'), `# dashboards, the SDK's gates\n${READ_TOKEN}\n`);
  writeFileSync(join(dir, 'admin.tokens'), `${ADMIN_TOKEN}\n`);
  writeFileSync(join(dir, 'prom.token'), `${PROM_BEARER}\n`);
  const port = await freePort();
  evaluator = spawnEvaluator(
    'budget-evaluator-security',
    [
      `--config=${join(dir, 'budgets.yaml')}`,
      `--prometheus=${promUrl}`,
      `--alertmanager=${am.url}`,
      `--port=${port}`,
      '--interval=1s',
      `--tls-cert-file=${pki.server.cert}`,
      `--tls-key-file=${pki.server.key}`,
      `--tls-client-ca-file=${pki.ca}`,
      '--allowed-hosts=evaluator.burnrate.svc',
      `--prometheus-ca-file=${pki.ca}`,
      `--prometheus-cert-file=${pki.client.cert}`,
      `--prometheus-key-file=${pki.client.key}`,
      '--prometheus-tenant=team-a',
    ],
    {
      env: {
        BURNRATE_READ_TOKEN_FILE: join(dir, 'read.tokens'),
        BURNRATE_ADMIN_TOKEN_FILE: join(dir, 'admin.tokens'),
        BURNRATE_PROMETHEUS_BEARER_TOKEN_FILE: join(dir, 'prom.token'),
      },
    },
  );
  base = `https://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      const res = await call(`${base}/api/v1/budgets`, bearer(READ_TOKEN)).catch(() => undefined);
      return res?.status === 200 && JSON.parse(res.body).budgets[0]?.spentUsd === 1.25;
    },
    'the evaluator reading 1.25 USD through mTLS',
    { timeoutMs: 60_000, exited: evaluator.exited, logFile: evaluator.logFile },
  );
}, 120_000);

afterAll(async () => {
  await evaluator?.stop();
  await prometheus?.stop();
  await am?.stop();
  await hook?.stop();
  await exporter?.stop();
  pki?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the evaluator, locked down', () => {
  it('reads spend from a Prometheus that demands a client certificate, to the cent', async () => {
    const res = await call(`${base}/api/v1/budgets`, bearer(READ_TOKEN));
    const doc = JSON.parse(res.body);
    expect(doc.budgets[0]).toMatchObject({
      name: 'search-monthly',
      state: 'ok',
      limitUsd: 100,
      spentUsd: 1.25,
      utilization: 0.0125,
      enforcement: { mode: 'block' },
    });
    // Neither the config path nor the Prometheus URL is in what a reader sees.
    for (const leak of [dir, 'budgets.yaml', promUrl, String(new URL(promUrl).port)]) {
      expect(res.body).not.toContain(leak);
    }
  });

  it('refuses plain HTTP, missing or wrong tokens, untrusted certificates', async () => {
    const plain = base.replace('https:', 'http:');
    await expect(call(`${plain}/healthz`)).rejects.toThrow();
    const ca = pki.read(pki.ca);
    expect((await call(`${base}/api/v1/budgets`, { ca })).status).toBe(401);
    expect((await call(`${base}/api/v1/budgets`, bearer('not-a-token-at-all-000'))).status).toBe(
      401,
    );
    const rogue = { ca, cert: pki.read(pki.rogue.cert), key: pki.read(pki.rogue.key) };
    expect((await call(`${base}/metrics`, rogue)).status).toBe(401);
    expect((await call(`${base}/healthz`, { ca })).status).toBe(200);
  });

  it('lets the read token read only; the admin token and the client certificate administer', async () => {
    const post = (opts: ReturnType<typeof client> | ReturnType<typeof bearer>) =>
      call(`${base}/api/v1/reload`, { method: 'POST', ...opts });
    expect((await post(bearer(READ_TOKEN))).status).toBe(403);
    expect((await post(bearer(ADMIN_TOKEN))).status).toBe(200);
    expect((await post(client())).status).toBe(200);
    const admin = JSON.parse((await call(`${base}/api/v1/admin/status`, bearer(ADMIN_TOKEN))).body);
    expect(admin.config.file).toBe(join(dir, 'budgets.yaml'));
  });

  it('refuses other Host names and bad requests without exception text', async () => {
    const evil = await call(`${base}/api/v1/budgets`, {
      ...bearer(READ_TOKEN),
      headers: { authorization: `Bearer ${READ_TOKEN}`, host: 'rebind.evil.example' },
      servername: 'localhost', // the certificate's name; the Host header is the attacker's
    });
    expect(evil.status).toBe(421);
    const named = await call(`${base}/healthz`, {
      ca: pki.read(pki.ca),
      headers: { host: 'evaluator.burnrate.svc:9464' },
      servername: 'localhost',
    });
    expect(named.status).toBe(200);
    const bad = await call(`${base}/api/v1/budgets/%zz`, bearer(READ_TOKEN));
    expect(bad.status).toBe(400);
    expect(bad.body).not.toMatch(/URIError|stack|\.ts/);
    const big = await call(`${base}/api/v1/reload`, {
      method: 'POST',
      ...bearer(ADMIN_TOKEN),
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(50_000) }),
    });
    expect(big.status).toBe(413);
  });

  it('rotates the read token on SIGHUP', async () => {
    writeFileSync(join(dir, 'read.tokens'), `${ROTATED}\n`);
    if (evaluator.pid === undefined) throw new Error('the evaluator has no pid');
    process.kill(evaluator.pid, 'SIGHUP');
    await waitUntil(
      async () => (await call(`${base}/metrics`, bearer(ROTATED))).status === 200,
      'the rotated token',
      { timeoutMs: 10_000, exited: evaluator.exited, logFile: evaluator.logFile },
    );
    expect((await call(`${base}/metrics`, bearer(READ_TOKEN))).status).toBe(401);
  });

  it('logs refusals and reloads, never a token', () => {
    const log = logText();
    expect(log).toContain('"msg":"request refused"');
    expect(log).toContain('"msg":"reload done"');
    for (const secret of [READ_TOKEN, ADMIN_TOKEN, ROTATED, PROM_BEARER, 'not-a-token-at-all']) {
      expect(log).not.toContain(secret);
    }
  });
});
