// Grafana's own dashboard-linter (scripts/setup/dashboard-linter.sh builds it) passes on every
// bundled dashboard with `lint --strict`; the only exclusions are the ones written down, with
// their reasons, in dashboards/.lint. A broken dashboard fails the same run.
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeTempDir, removeTempDir } from './harness/process.ts';
import { repoRoot } from './harness/tools.ts';

const run = promisify(execFile);
const dashboardsDir = join(repoRoot, 'dashboards');
const config = join(dashboardsDir, '.lint');
const files = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json') && f !== 'package.json');

function linter(): string {
  const bin =
    process.env.BURNRATE_DASHBOARD_LINTER_BIN ??
    join(repoRoot, '.tools/dashboard-linter/bin/dashboard-linter');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(
      `dashboard-linter not found at ${bin}; run \`bash scripts/setup/dashboard-linter.sh\` (or npm run setup:tools)`,
    );
  }
  return bin;
}

async function lint(file: string, configFile = config): Promise<{ code: number; output: string }> {
  try {
    const r = await run(linter(), ['lint', '--strict', '--config', configFile, file], {
      timeout: 60_000,
    });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      output: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    };
  }
}

describe('dashboard-linter --strict', () => {
  it.each(files)('passes on %s', async (file) => {
    const r = await lint(join(dashboardsDir, file));
    expect(r.output).not.toMatch(/❌|⚠️/);
    expect(r.code, r.output).toBe(0);
  });

  it('excludes only the job/instance rules, each with its reason', () => {
    const cfg = parse(readFileSync(config, 'utf8')) as {
      exclusions?: Record<string, { reason?: string; entries?: unknown[] }>;
      warnings?: unknown;
    };
    expect(cfg.warnings).toBeUndefined();
    expect(Object.keys(cfg.exclusions ?? {}).sort()).toEqual([
      'target-instance-rule',
      'target-job-rule',
      'template-instance-rule',
      'template-job-rule',
    ]);
    for (const [rule, ex] of Object.entries(cfg.exclusions ?? {})) {
      expect(ex.reason?.length ?? 0, `${rule} has a reason`).toBeGreaterThan(40);
    }
  });

  it('fails on a dashboard with a broken query, a counter without rate, or a missing unit', async () => {
    const dir = makeTempDir('lint');
    try {
      const file = join(dir, 'broken.json');
      const d = JSON.parse(readFileSync(join(dashboardsDir, 'spend-overview.json'), 'utf8')) as {
        panels: Array<{
          title?: string;
          targets?: Array<{ expr: string }>;
          fieldConfig?: { defaults: { unit?: string } };
        }>;
      };
      const [a, b, c] = d.panels.filter((p) => p.targets?.length);
      a.targets![0].expr = 'sum(rate(burnrate_llm_cost_usd_total[$__rate_interval])'; // unbalanced
      b.targets![0].expr = 'sum(burnrate_llm_cost_usd_total)'; // a counter, not rated
      delete c.fieldConfig!.defaults.unit;
      writeFileSync(file, JSON.stringify(d));
      copyFileSync(config, join(dir, '.lint'));
      const r = await lint(file, join(dir, '.lint'));
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(`panel '${a.title}'`);
      expect(r.output).toMatch(/counter metric .* is not aggregated with rate, irate, or increase/);
      expect(r.output).toContain(`'${c.title}' has no or invalid units defined`);
    } finally {
      removeTempDir(dir);
    }
  });
});
