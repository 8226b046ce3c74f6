import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CURRENT_PROMETHEUS_VERSION, repoRoot, run, tools } from './harness/index.ts';

// promtool's rule unit tests (deploy/prometheus/tests): month-to-date to the cent across a
// Collector restart and a month rollover; anomaly and telemetry alerts fire when they should.
// Each evaluates a week or a month of one-minute rule evaluations: they take a while. Run with
// Debian's promtool 2.42 and with the current release's (docker compose).
test.each([
  ['month-to-date.test.yml', 'Debian', tools.promtool],
  ['alerts.test.yml', 'Debian', tools.promtool],
  ['month-to-date.test.yml', CURRENT_PROMETHEUS_VERSION, tools.promtoolCurrent],
  ['alerts.test.yml', CURRENT_PROMETHEUS_VERSION, tools.promtoolCurrent],
])(
  'promtool test rules deploy/prometheus/tests/%s (promtool %s)',
  async (file, _, promtool) => {
    const r = await run(promtool(), ['test', 'rules', file], {
      cwd: join(repoRoot, 'deploy/prometheus/tests'),
      timeoutMs: 280_000,
    });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.stdout + r.stderr).not.toContain('FAILED');
    expect(r.code).toBe(0);
  },
  300_000,
);
