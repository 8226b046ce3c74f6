// End to end: a fresh install. The evaluator starts before any span has been scraped: it waits
// for data (no alert reaches the real Alertmanager), evaluates once the first cost series is in
// the real Prometheus (Debian 2.42), and still alerts when that data vanishes later.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BudgetEvaluator,
  closeServer,
  serverPort,
  startHttpServer,
} from '../packages/budget-evaluator/src/index.ts';
import {
  type FakeExporter,
  startFakeExporter,
} from '../packages/budget-evaluator/src/test-support/fake-servers.ts';
import {
  type AlertmanagerHandle,
  type PrometheusHandle,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type WebhookReceiver,
} from './harness/index.ts';

const LLM = 'burnrate_llm_cost_usd_total';
const series = { service: 'api', environment: 'production', team: 'search', model: 'gpt-4o' };

let exporter: FakeExporter;
let prom: PrometheusHandle;
let am: AlertmanagerHandle;
let hook: WebhookReceiver;
let ev: BudgetEvaluator;
let http: Server;
let dir: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function api(): Promise<{
  status: number;
  doc: { waitingForData: boolean; dataMissing: boolean; budgets: Array<Record<string, unknown>> };
}> {
  const res = await fetch(`http://127.0.0.1:${serverPort(http)}/api/v1/budgets`);
  return { status: res.status, doc: await res.json() };
}

beforeAll(async () => {
  exporter = await startFakeExporter(); // serves no cost series yet
  hook = await startWebhookReceiver();
  am = await startAlertmanager({ webhookUrl: hook.url });
  prom = await startPrometheus({ scrapeTargets: [exporter.target], scrapeIntervalSeconds: 1 });
  dir = mkdtempSync(join(tmpdir(), 'burnrate-e2e-fresh-'));
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
  ev = new BudgetEvaluator({
    configFile: join(dir, 'budgets.yaml'),
    prometheusUrl: prom.url,
    alertmanagerUrls: [am.url],
    intervalSeconds: 1,
  });
  http = await startHttpServer(ev, 0, '127.0.0.1');
  ev.start();
});

afterAll(async () => {
  await ev?.stop();
  if (http) await closeServer(http);
  await prom?.stop();
  await exporter?.stop();
  await am?.stop();
  await hook?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a fresh install, end to end', () => {
  it('before the first span: waiting for data, and nothing alerts', async () => {
    await sleep(6000); // several cycles against a reachable Prometheus with no cost series
    expect(ev.cycles).toBeGreaterThanOrEqual(3);
    const { status, doc } = await api();
    expect(status).toBe(200);
    expect(doc).toMatchObject({ waitingForData: true, dataMissing: false });
    expect(doc.budgets[0]).toMatchObject({ name: 'search-monthly', state: 'waiting', spentUsd: 0 });
    expect(await am.alerts()).toEqual([]);
    expect(hook.notifications).toEqual([]);
    const metrics = await (await fetch(`http://127.0.0.1:${serverPort(http)}/metrics`)).text();
    expect(metrics).toContain('burnrate_budget_waiting_for_data 1');
    expect(metrics).toContain('burnrate_budget_data_missing 0');
  });

  it('the first cost series ends the wait; its later disappearance alerts', async () => {
    exporter.set(LLM, series, 1.25);
    await prom.waitFor(`sum(${LLM})`, (s) => s[0]?.value === 1.25, { timeoutMs: 20_000 });
    const deadline = Date.now() + 20_000;
    // The spend is read up to the last whole second: allow the cycle after the one that saw it.
    while ((await api()).doc.budgets[0]?.spentUsd !== 1.25 && Date.now() < deadline) {
      await sleep(200);
    }
    const { doc } = await api();
    expect(doc).toMatchObject({ waitingForData: false, dataMissing: false });
    expect(doc.budgets[0]).toMatchObject({ state: 'ok', spentUsd: 1.25 });

    exporter.set(LLM, series, undefined); // the data vanishes: that is not a fresh install
    await hook.waitFor(
      (n) =>
        n.alerts.some(
          (a) => a.status === 'firing' && a.labels.alertname === 'BurnrateBudgetDataMissing',
        ),
      30_000,
    );
    expect((await api()).doc).toMatchObject({ waitingForData: false, dataMissing: true });
  });
});
