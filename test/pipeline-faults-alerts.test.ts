import { join } from 'node:path';
import { expect, test } from 'vitest';
import { otlp, postOtlpJson, repoRoot, startCollector, startPrometheus } from './harness/index.ts';

// Loss is visible, fast — with the shipped rules unchanged, at the shipped cadence (the
// Collector's jobs scraped every 10 s, group burnrate-pipeline-health evaluated every 10 s):
// an invalid span fires BurnrateInvalidSpans within seconds, and a Collector that dies fires
// BurnrateCollectorDown within a minute.

test('shipped rules at the shipped cadence: BurnrateInvalidSpans within 30 s, BurnrateCollectorDown within 60 s of the Collector dying', async () => {
  const collector = await startCollector({ batchTimeout: '50ms' });
  const prom = await startPrometheus({
    scrapeTargets: [
      { job: 'burnrate-collector', targets: [collector.metricsTarget] },
      { job: 'burnrate-collector-telemetry', targets: [collector.telemetryTarget] },
    ],
    ruleFiles: [join(repoRoot, 'deploy/prometheus/rules/burnrate-alerts.yml')],
    scrapeIntervalSeconds: 10,
    evaluationIntervalSeconds: 10,
  });
  try {
    await prom.waitFor('up{job="burnrate-collector"}', (s) => s[0]?.value === 1, {
      timeoutMs: 30_000,
    });
    const firing = (name: string) => `ALERTS{alertname="${name}", alertstate="firing"}`;

    // One priced span with a NaN cost from a raw sender.
    const t0 = Date.now();
    await postOtlpJson(collector.otlpHttpUrl, [
      {
        resource: { 'service.name': 'raw-sender' },
        attributes: {
          'gen_ai.operation.name': 'chat',
          'burnrate.cost.source': 'usage',
          'burnrate.cost.usd': otlp.double(Number.NaN),
        },
      },
    ]);
    const invalid = await prom.waitFor(firing('BurnrateInvalidSpans'), (s) => s.length === 1, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const invalidSeconds = (Date.now() - t0) / 1000;
    expect(invalid[0].labels).toMatchObject({
      service: 'raw-sender',
      reason: 'cost_not_finite',
      severity: 'warning',
    });
    expect(await prom.query(firing('BurnrateCollectorDown'))).toEqual([]);

    // The Collector dies.
    const t1 = Date.now();
    await collector.stop();
    await prom.waitFor(firing('BurnrateCollectorDown'), (s) => s.length === 1, {
      timeoutMs: 75_000,
      intervalMs: 250,
    });
    const downSeconds = (Date.now() - t1) / 1000;
    console.log('loss alerts', JSON.stringify({ invalidSeconds, downSeconds }));
    expect(invalidSeconds).toBeLessThan(30);
    expect(downSeconds).toBeLessThanOrEqual(60);
  } finally {
    await prom.stop();
    await collector.stop();
  }
}, 180_000);
