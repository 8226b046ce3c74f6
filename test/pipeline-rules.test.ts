import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot, run, tools } from './harness/index.ts';

// promtool's rule unit tests (deploy/prometheus/tests): month-to-date to the cent across a
// Collector restart and a month rollover; anomaly and telemetry alerts fire when they should.
// Each evaluates a week or a month of one-minute rule evaluations: they take a while.
test.each(['month-to-date.test.yml', 'alerts.test.yml'])(
  'promtool test rules deploy/prometheus/tests/%s',
  async (file) => {
    const r = await run(tools.promtool(), ['test', 'rules', file], {
      cwd: join(repoRoot, 'deploy/prometheus/tests'),
      timeoutMs: 280_000,
    });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.stdout + r.stderr).not.toContain('FAILED');
    expect(r.code).toBe(0);
  },
  300_000,
);
