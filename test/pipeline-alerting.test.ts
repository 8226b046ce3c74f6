import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type AlertmanagerHandle,
  freePort,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type WebhookReceiver,
} from './harness/index.ts';
import { immediateAlertRules, shippedAlertmanagerConfig } from './pipeline-support.ts';

// The shipped Alertmanager config (deploy/alertmanager/alertmanager.yml) running for real:
// routing by team and severity, inhibition of lower thresholds, and a Prometheus alert from
// the shipped rules arriving at the webhook.
let hook: WebhookReceiver;
let am: AlertmanagerHandle;

beforeAll(async () => {
  hook = await startWebhookReceiver();
  am = await startAlertmanager({ configYaml: shippedAlertmanagerConfig(new URL(hook.url).origin) });
});

afterAll(async () => {
  await am?.stop();
  await hook?.stop();
});

async function post(
  alerts: { labels: Record<string, string>; annotations?: Record<string, string> }[],
): Promise<void> {
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts.map((a) => ({ ...a, startsAt: new Date().toISOString() }))),
  });
  expect(res.status).toBe(200);
}

describe('Alertmanager with the shipped config', () => {
  test('a higher threshold inhibits the lower one; the team’s pager gets only the critical', async () => {
    const common = {
      alertname: 'BurnrateSpendRateAnomaly',
      team: 'payments',
      environment: 'production',
    };
    await post([
      { labels: { ...common, severity: 'critical', threshold: '4x' } },
      { labels: { ...common, severity: 'warning', threshold: '2x' } },
    ]);
    const page = await hook.waitFor(
      (n) => n.receiver === 'team-payments-page' && n.status === 'firing',
    );
    expect(page.alerts.map((a) => a.labels.severity)).toEqual(['critical']);
    const deadline = Date.now() + 10_000;
    let warning: Awaited<ReturnType<AlertmanagerHandle['alerts']>>[number] | undefined;
    while (Date.now() < deadline) {
      warning = (await am.alerts()).find(
        (a) => a.labels.alertname === common.alertname && a.labels.severity === 'warning',
      );
      if (warning?.status.inhibitedBy.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(warning?.status.state).toBe('suppressed');
    expect(warning?.status.inhibitedBy.length).toBe(1);
    await new Promise((r) => setTimeout(r, 2_500)); // several group intervals
    const sentWarnings = hook.notifications
      .flatMap((n) => n.alerts)
      .filter((a) => a.labels.alertname === common.alertname && a.labels.severity === 'warning');
    expect(sentWarnings).toEqual([]);
  });

  test('budget alerts route by team and severity', async () => {
    await post([
      {
        labels: {
          alertname: 'BurnrateBudgetThreshold',
          budget: 'support-bot-daily',
          team: 'support',
          environment: 'production',
          severity: 'warning',
        },
      },
      {
        labels: {
          alertname: 'BurnrateBudgetThreshold',
          budget: 'search-team-monthly',
          team: 'search',
          environment: 'production',
          severity: 'critical',
        },
      },
    ]);
    const support = await hook.waitFor(
      (n) => n.receiver === 'team-support' && n.commonLabels.budget === 'support-bot-daily',
    );
    expect(support.alerts[0].labels.severity).toBe('warning');
    const finops = await hook.waitFor(
      (n) => n.receiver === 'finops-page' && n.commonLabels.budget === 'search-team-monthly',
    );
    expect(finops.alerts[0].labels.team).toBe('search');
  });
});

describe('Prometheus rules to Alertmanager', () => {
  test('a Collector that cannot be scraped fires BurnrateCollectorDown to the platform receiver', async () => {
    const rules = immediateAlertRules();
    const dead = await freePort();
    const prom = await startPrometheus({
      scrapeTargets: [{ job: 'burnrate-collector', targets: [`127.0.0.1:${dead}`] }],
      ruleFiles: [rules.file],
      alertmanagerUrl: am.url,
    });
    try {
      // Before the first scrape the rule's absent() branch may fire without an instance; the
      // failed scrape then names the dead target.
      const target = `127.0.0.1:${dead}`;
      const n = await hook.waitFor(
        (x) =>
          x.receiver === 'platform' &&
          x.commonLabels.alertname === 'BurnrateCollectorDown' &&
          x.alerts.some((a) => a.labels.instance === target),
        60_000,
      );
      const alert = n.alerts.find((a) => a.labels.instance === target)!;
      expect(alert.labels.severity).toBe('critical');
      expect(alert.annotations.summary).toContain('Collector');
    } finally {
      await prom.stop();
      rules.remove();
    }
  });
});
