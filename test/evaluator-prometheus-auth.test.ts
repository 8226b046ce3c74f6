// End to end: a real Prometheus (Debian 2.42) behind basic auth (its --web.config.file) and the
// budget evaluator's CLI reading it. A wrong password is a refusal the operator can see (data
// missing, the bounded `prometheus_error` reason, "check the credentials" in the log, the
// password nowhere); the right one, put in the password file and reloaded with SIGHUP, reads the
// spend to the cent.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeExporter,
  startFakeExporter,
} from '../packages/budget-evaluator/src/test-support/fake-servers.ts';
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
const USER = 'burnrate';
const PASSWORD = 'prom-pass-9c41e2';
// bcrypt of PASSWORD (cost 10), made with golang.org/x/crypto/bcrypt: Prometheus's web config
// takes only hashes.
const PASSWORD_HASH = '$2a$10$CCiVoBd51Ha/aJkH/rPl8uwsGKbrxzb5HAo9nyvuAy44VOwO/EKrW';
const WRONG = 'stale-pass-0d7b13';

let dir: string;
let exporter: FakeExporter;
let prometheus: PrometheusHandle;
let evaluator: ManagedProcess;
let hook: WebhookReceiver;
let am: AlertmanagerHandle;
let base: string;

const budgets = async () => {
  const res = await fetch(`${base}/api/v1/budgets`).catch(() => undefined);
  return res ? { status: res.status, doc: await res.json().catch(() => ({})) } : undefined;
};
const metrics = async () => (await fetch(`${base}/metrics`)).text();
const logText = () => readFileSync(evaluator.logFile, 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-prom-auth-'));
  exporter = await startFakeExporter();
  exporter.set(LLM, { team: 'search', service: 'api', model: 'gpt-4o' }, 2.37);

  const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  prometheus = await startPrometheus({
    scrapeTargets: [exporter.target],
    webConfig: { basic_auth_users: { [USER]: PASSWORD_HASH } },
    ready: async (url) =>
      (await fetch(`${url}/-/ready`, { headers: { authorization } }).catch(() => undefined))
        ?.status === 200,
  });
  const promUrl = prometheus.url;
  // Prometheus refuses a request without the password: the setup is what the test says it is.
  expect((await fetch(`${promUrl}/-/ready`)).status).toBe(401);

  writeFileSync(
    join(dir, 'budgets.yaml'),
    `budgets:
  - name: search-monthly
    selector: { team: search }
    period: monthly
    limit_usd: 100
    thresholds: [{ at: 100%, kind: actual, severity: critical }]
`,
  );
  hook = await startWebhookReceiver();
  am = await startAlertmanager({ webhookUrl: hook.url });
  writeFileSync(join(dir, 'prom.password'), `${WRONG}\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  evaluator = spawnEvaluator('budget-evaluator-prometheus-auth', [
    `--config=${join(dir, 'budgets.yaml')}`,
    `--prometheus=${promUrl}`,
    `--alertmanager=${am.url}`,
    `--port=${port}`,
    '--host=127.0.0.1',
    '--interval=1s',
    `--prometheus-basic-auth-user=${USER}`,
    `--prometheus-basic-auth-password-file=${join(dir, 'prom.password')}`,
  ]);
  await waitUntil(
    async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true,
    'budget evaluator',
    { timeoutMs: 60_000, exited: evaluator.exited, logFile: evaluator.logFile },
  );
}, 120_000);

afterAll(async () => {
  await evaluator?.stop();
  await prometheus?.stop();
  await am?.stop();
  await hook?.stop();
  await exporter?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the evaluator against a Prometheus that demands a password', () => {
  it('a refused password: data missing, a bounded reason, "check the credentials", no secret', async () => {
    await waitUntil(async () => /check the credentials/.test(logText()), 'the refusal in the log', {
      timeoutMs: 30_000,
      exited: evaluator.exited,
      logFile: evaluator.logFile,
    });
    const m = await metrics();
    expect(m).toMatch(/^burnrate_budget_data_missing 1$/m);
    expect(m).toMatch(
      /^burnrate_budget_evaluation_errors_total\{reason="prometheus_error"\} [1-9]/m,
    );
    const reasons = [...m.matchAll(/evaluation_errors_total\{reason="([^"]+)"\}/g)].map(
      (x) => x[1],
    );
    expect(new Set(reasons).size).toBe(7); // the fixed set, nothing added for "auth"
    const answer = await budgets();
    expect(answer?.doc.budgets?.[0]?.spentUsd ?? null).toBeNull();
    for (const text of [logText(), m, JSON.stringify(answer?.doc)]) {
      expect(text).not.toContain(WRONG);
      expect(text).not.toContain(PASSWORD);
    }
  });

  it('the right password, reloaded with SIGHUP, reads the spend to the cent', async () => {
    writeFileSync(join(dir, 'prom.password'), `${PASSWORD}\n`);
    if (evaluator.pid === undefined) throw new Error('the evaluator has no pid');
    process.kill(evaluator.pid, 'SIGHUP');
    await waitUntil(
      async () => (await budgets())?.doc.budgets?.[0]?.spentUsd === 2.37,
      'the evaluator reading 2.37 USD with the right password',
      { timeoutMs: 60_000, exited: evaluator.exited, logFile: evaluator.logFile },
    );
    expect(await metrics()).toMatch(/^burnrate_budget_data_missing 0$/m);
    expect(logText()).not.toContain(PASSWORD);
  });
});
