// End to end: demo spend as real OTLP spans -> the real Collector -> the real Prometheus ->
// two budget-evaluator replicas -> the real Alertmanager -> a webhook receiver in this test.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BudgetEvaluator,
  closeServer,
  startHttpServer,
} from '../packages/budget-evaluator/src/index.ts';
import {
  alertmanagerConfig,
  demoSpans,
  offsetZoneWithMidnightAt,
} from '../packages/budget-evaluator/src/test-support/e2e-fixtures.ts';
import {
  type AlertmanagerHandle,
  type CollectorHandle,
  freePort,
  type PrometheusHandle,
  sendSpans,
  startAlertmanager,
  startCollector,
  startPrometheus,
  startWebhookReceiver,
  type WebhookReceiver,
} from './harness/index.ts';

const MIN = 60_000;
let collector: CollectorHandle;
let prom: PrometheusHandle;
let am: AlertmanagerHandle;
let hook: WebhookReceiver;
let replicas: BudgetEvaluator[] = [];
let http: Server;
let dir: string;
let shift = 0; // the evaluators' clock: real time + shift
let boundary = 0; // the daily budget's next period start (epoch ms)

type Key = { budget: string; threshold: string; kind: string };
const KEYS: Record<string, Key> = {
  actual50: { budget: 'demo-daily', threshold: '0.5', kind: 'actual' },
  forecast70: { budget: 'demo-daily', threshold: '0.7', kind: 'forecast' },
  actual100: { budget: 'demo-daily', threshold: '1', kind: 'actual' },
  rolling50: { budget: 'demo-rolling', threshold: '0.5', kind: 'actual' },
};

/** Notifications (firing or resolved) that carry the alert `k`. */
function notified(k: Key, status: 'firing' | 'resolved') {
  return hook.notifications.filter((n) =>
    n.alerts.some(
      (a) =>
        a.status === status &&
        a.labels.budget === k.budget &&
        a.labels.threshold === k.threshold &&
        a.labels.kind === k.kind,
    ),
  );
}

async function waitNotified(k: Key, state: 'firing' | 'resolved'): Promise<void> {
  try {
    await hook.waitFor((n) => notified(k, state).includes(n), 60_000);
  } catch (err) {
    // Say what the evaluator and Alertmanager saw, to debug from the failure alone.
    const seen = JSON.stringify({
      budgets: replicas[0].status(),
      alertmanager: (await am.alerts().catch(() => [])).map((a) => [a.labels, a.status.state]),
      notifications: hook.notifications.map((n) => n.alerts.map((a) => [a.status, a.labels])),
    });
    throw new Error(`${(err as Error).message} for ${state} ${JSON.stringify(k)}: ${seen}`);
  }
}

async function send(spans: Parameters<typeof sendSpans>[1], expectTotal: number): Promise<void> {
  await sendSpans(collector.otlpHttpUrl, spans);
  await prom.waitFor(
    'sum(burnrate_llm_cost_usd_total{team="demo"}) + sum(burnrate_vectordb_cost_usd_total{team="demo"})',
    (s) => Math.abs((s[0]?.value ?? 0) - expectTotal) < 1e-9,
    { timeoutMs: 30_000 },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = (name: string) => replicas[0].status().budgets.find((b) => b.name === name)!;

beforeAll(async () => {
  hook = await startWebhookReceiver();
  am = await startAlertmanager({ configYaml: alertmanagerConfig(hook.url) });
  collector = await startCollector({ batchTimeout: '50ms' });
  const evaluatorPort = await freePort();
  prom = await startPrometheus({
    scrapeTargets: [
      collector.metricsTarget,
      { job: 'budget-evaluator', targets: [`127.0.0.1:${evaluatorPort}`] },
    ],
    scrapeIntervalSeconds: 1,
  });
  dir = mkdtempSync(join(tmpdir(), 'burnrate-e2e-budgets-'));
  // Computed once every server is up (their start-up can be slow on a loaded machine), 3–4
  // minutes ahead: the first two tests end well before it, the rollover test shifts the clock
  // past it (by less than Prometheus' 5-minute lookback).
  boundary = Math.ceil((Date.now() + 3 * MIN) / MIN) * MIN;
  const file = join(dir, 'budgets.yaml');
  writeFileSync(
    file,
    `dashboard_url: http://grafana.test/d/burnrate-budgets?var-budget={budget}
budgets:
  - name: demo-daily
    selector: { team: demo, environment: production }
    period: daily
    timezone: "${offsetZoneWithMidnightAt(boundary)}"
    limit_usd: 10
    forecast: { lookback: 20s, step: 2s }
    thresholds:
      - { at: 50%, kind: actual, severity: info }
      - { at: 70%, kind: forecast, severity: warning }
      - { at: 100%, kind: actual, severity: critical }
  - name: demo-rolling
    selector: { team: demo }
    period: rolling-7d
    limit_usd: 20
    forecast: { lookback: 20s, step: 2s }
    thresholds: [{ at: 50%, kind: actual, severity: warning }]
`,
  );
  // Replica A's /metrics is scraped by Prometheus, as in production.
  const make = () =>
    new BudgetEvaluator({
      configFile: file,
      prometheusUrl: prom.url,
      alertmanagerUrls: [am.url],
      intervalSeconds: 1,
      now: () => Date.now() + shift,
    });
  replicas = [make(), make()];
  http = await startHttpServer(replicas[0], evaluatorPort, '127.0.0.1');
  for (const r of replicas) r.start();
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  if (http) await closeServer(http);
  await prom?.stop();
  await collector?.stop();
  await am?.stop();
  await hook?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('budget evaluator end to end', () => {
  it('50 % actual and 70 % forecast fire once each, with the right labels', async () => {
    await send(demoSpans({ llmSpans: 10, vectorSpans: 2, otherTeamSpans: 3 }), 5.5);
    await waitNotified(KEYS.actual50, 'firing');
    await waitNotified(KEYS.forecast70, 'firing');
    const alert = notified(KEYS.actual50, 'firing')[0].alerts[0];
    expect(alert.labels).toEqual({
      alertname: 'BurnrateBudgetThreshold',
      budget: 'demo-daily',
      severity: 'info',
      threshold: '0.5',
      kind: 'actual',
      team: 'demo',
      environment: 'production',
    });
    expect(alert.annotations.spent_usd).toBe('5.5');
    expect(alert.annotations.limit_usd).toBe('10');
    expect(alert.annotations.period_end).toBe(new Date(boundary).toISOString());
    expect(alert.annotations.dashboard).toBe(
      'http://grafana.test/d/burnrate-budgets?var-budget=demo-daily',
    );
    const forecast = notified(KEYS.forecast70, 'firing')[0].alerts[0];
    expect(forecast.labels.severity).toBe('warning');
    expect(Number(forecast.annotations.forecast_usd)).toBeGreaterThanOrEqual(7);
    expect(notified(KEYS.actual100, 'firing')).toEqual([]);
    expect(status('demo-daily').spentUsd).toBe(5.5); // other team's $3 not counted
    expect(status('demo-daily').state).toBe('warning');
  });

  it('100 % actual fires once; two replicas still give one notification per alert', async () => {
    await send(demoSpans({ llmSpans: 10, vectorSpans: 0, otherTeamSpans: 0 }), 10.5);
    await waitNotified(KEYS.actual100, 'firing');
    await waitNotified(KEYS.rolling50, 'firing');
    await sleep(5000); // several cycles of both replicas re-sending
    for (const k of Object.values(KEYS)) expect(notified(k, 'firing').length).toBe(1);
    expect(notified(KEYS.actual100, 'firing')[0].alerts[0].labels.severity).toBe('critical');
    expect(status('demo-daily')).toMatchObject({
      spentUsd: 10.5,
      state: 'exceeded',
      utilization: 1.05,
    });
    expect(replicas[1].status().budgets.find((b) => b.name === 'demo-daily')!.spentUsd).toBe(10.5);
    const firing = await prom.waitFor(
      'burnrate_budget_alert_firing{job="budget-evaluator",budget="demo-daily"} == 1',
      (s) => s.length === 3,
      { timeoutMs: 20_000 },
    );
    expect(firing.map((s) => `${s.labels.kind}:${s.labels.threshold}`).sort()).toEqual([
      'actual:0.5',
      'actual:1',
      'forecast:0.7',
    ]);
    const spend = await prom.query(
      'burnrate_budget_spend_usd{job="budget-evaluator",budget="demo-daily"}',
    );
    expect(spend[0].labels.team).toBe('demo');
    expect(spend[0].value).toBe(10.5);
  });

  it('a period rollover resolves the daily alerts (once each) and keeps the rolling one', async () => {
    // No spend for a whole forecast lookback: the recent rate is 0.
    await sleep(22_000);
    shift = Math.max(0, boundary + 2000 - Date.now());
    expect(shift).toBeLessThan(4.5 * MIN); // within Prometheus's 5 min lookback
    await waitNotified(KEYS.actual50, 'resolved');
    await waitNotified(KEYS.forecast70, 'resolved');
    await waitNotified(KEYS.actual100, 'resolved');
    await sleep(4000);
    for (const k of [KEYS.actual50, KEYS.forecast70, KEYS.actual100]) {
      expect(notified(k, 'resolved').length).toBe(1);
    }
    expect(notified(KEYS.rolling50, 'resolved')).toEqual([]);
    expect(status('demo-daily')).toMatchObject({ spentUsd: 0, state: 'ok' });
    expect(status('demo-daily').period.start).toBe(new Date(boundary).toISOString());
    expect(status('demo-rolling').spentUsd).toBe(10.5);
  });

  it('Prometheus stopped: data-missing fires, and nothing is falsely resolved', async () => {
    await prom.stop();
    await hook.waitFor(
      (n) =>
        n.alerts.some(
          (a) => a.status === 'firing' && a.labels.alertname === 'BurnrateBudgetDataMissing',
        ),
      60_000,
    );
    // Without re-sending, the rolling alert would expire at its endsAt (4 cycles) and resolve.
    await sleep(10_000);
    expect(notified(KEYS.rolling50, 'resolved')).toEqual([]);
    const active = await am.alerts();
    expect(
      active.filter((a) => a.labels.budget === 'demo-rolling' && a.status.state === 'active')
        .length,
    ).toBe(1);
    expect(replicas[0].status()).toMatchObject({ dataMissing: true });
    expect(status('demo-rolling')).toMatchObject({ spentUsd: 10.5, stale: true });
  });
});
