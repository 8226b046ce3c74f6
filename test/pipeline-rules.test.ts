import { join } from 'node:path';
import { test } from 'vitest';
import { CURRENT_PROMETHEUS_VERSION, repoRoot, run, tools } from './harness/index.ts';

// promtool's rule unit tests (deploy/prometheus/tests): month-to-date to the cent across a
// Collector restart, a reset between evaluations and a month rollover; anomaly and telemetry
// alerts fire when they should and not before; the pipeline-health (loss) alerts at their 10 s
// cadence. Run with Debian's promtool 2.42 and with the
// current release's (docker compose). Each evaluates a week or a month of one-minute rule
// evaluations (about four CPU-minutes for a month with the today / last-month rules), so they
// run side by side, with room for a loaded two-core machine: in a full run on a slow day (the
// whole suite 49 minutes instead of 36), the month-long runs, sharing two cores with four other
// promtools and the rest of the suite, took 18.5 minutes and more than 20.
test.concurrent.for([
  ['month-to-date.test.yml', 'Debian', tools.promtool],
  ['alerts.test.yml', 'Debian', tools.promtool],
  ['pipeline-health.test.yml', 'Debian', tools.promtool],
  ['month-to-date.test.yml', CURRENT_PROMETHEUS_VERSION, tools.promtoolCurrent],
  ['alerts.test.yml', CURRENT_PROMETHEUS_VERSION, tools.promtoolCurrent],
  ['pipeline-health.test.yml', CURRENT_PROMETHEUS_VERSION, tools.promtoolCurrent],
] as const)(
  'promtool test rules deploy/prometheus/tests/%s (promtool %s)',
  { timeout: 2_460_000 },
  async ([file, , promtool], { expect }) => {
    const r = await run(promtool(), ['test', 'rules', file], {
      cwd: join(repoRoot, 'deploy/prometheus/tests'),
      timeoutMs: 2_400_000,
    });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.stdout + r.stderr).not.toContain('FAILED');
    expect(r.code).toBe(0);
  },
);
