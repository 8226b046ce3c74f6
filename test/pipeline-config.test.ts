import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import {
  COLLECTOR_VERSION,
  CURRENT_ALERTMANAGER_VERSION,
  CURRENT_PROMETHEUS_VERSION,
  repoRoot,
  run,
  tools,
} from './harness/index.ts';

// The configs as CI checks them, with the same tools a user runs.
const at = (p: string): string => join(repoRoot, p);

describe('Collector config', () => {
  test('the builder manifest pins the release the harness and docker compose use', () => {
    const manifest = readFileSync(at('collector/builder-config.yaml'), 'utf8');
    expect(manifest).toMatch(new RegExp(`^  version: ${COLLECTOR_VERSION}$`, 'm'));
    const gomods = [...manifest.matchAll(/gomod: (\S+) (v\S+)/g)];
    expect(gomods.length).toBeGreaterThan(10);
    for (const [, mod, version] of gomods) {
      // 1.x core modules (config providers) carry their own version line.
      if (mod.includes('/confmap/')) expect(version).toBe('v1.61.0');
      else expect(`${mod} ${version}`).toBe(`${mod} v${COLLECTOR_VERSION}`);
    }
    const compose = readFileSync(at('docker-compose.yml'), 'utf8');
    // Compose builds this distribution (it has Burnrate's labelcap processor) with the same ocb
    // release and manifest.
    expect(compose).toMatch(/collector:\n(?:.*\n)*?\s+build:\n\s+context: \.\/collector\n/);
    expect(readFileSync(at('collector/Dockerfile'), 'utf8')).toContain(
      `ARG OCB_VERSION=${COLLECTOR_VERSION}`,
    );
    // ...and the Prometheus / Alertmanager images are the releases whose tools check deploy/.
    expect(compose).toContain(`prom/prometheus:v${CURRENT_PROMETHEUS_VERSION}`);
    expect(compose).toContain(`prom/alertmanager:v${CURRENT_ALERTMANAGER_VERSION}`);
  });

  test('otelcol validate accepts collector/otelcol.yaml, as shipped and with every option on', async () => {
    const bin = tools.otelcol();
    const plain = await run(bin, ['validate', `--config=${at('collector/otelcol.yaml')}`]);
    expect(plain.stderr + plain.stdout).not.toMatch(/error/i);
    expect(plain.code).toBe(0);
    const all = await run(bin, ['validate', `--config=${at('collector/otelcol.yaml')}`], {
      env: {
        BURNRATE_METRICS_EXPORTERS: '[prometheus, prometheus_remote_write]',
        BURNRATE_REMOTE_WRITE_URL: 'http://127.0.0.1:9/api/v1/write',
        BURNRATE_TRACE_EXPORTERS: '[otlp_http/forward]',
        BURNRATE_TRACES_FORWARD_ENDPOINT: 'http://127.0.0.1:9',
      },
    });
    expect(all.code).toBe(0);
  });

  test('otelcol validate rejects a bad switch with an error naming it', async () => {
    const bad = await run(
      tools.otelcol(),
      ['validate', `--config=${at('collector/otelcol.yaml')}`],
      {
        env: { BURNRATE_METRICS_EXPORTERS: '[prometheus, nosuch]' },
      },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('nosuch');
  });
});

// Debian's Prometheus 2.42 / Alertmanager 0.25 (what runs here) and the current releases
// docker compose runs (scripts/setup/prometheus-current.sh).
const promtools = [
  ['Debian', tools.promtool],
  [CURRENT_PROMETHEUS_VERSION, tools.promtoolCurrent],
] as const;
const amtools = [
  ['Debian', tools.amtool],
  [CURRENT_ALERTMANAGER_VERSION, tools.amtoolCurrent],
] as const;

describe.each(promtools)('Prometheus config and rules (promtool %s)', (_, promtool) => {
  test('promtool check config accepts deploy/prometheus/prometheus.yml and its rule files', async () => {
    const r = await run(promtool(), ['check', 'config', at('deploy/prometheus/prometheus.yml')]);
    expect(r.stdout + r.stderr).toContain('SUCCESS: 2 rule files found');
    expect(r.code).toBe(0);
  });

  test('promtool check rules accepts every rule file', async () => {
    const files = ['burnrate-recording.yml', 'burnrate-alerts.yml'].map((f) =>
      at(`deploy/prometheus/rules/${f}`),
    );
    const r = await run(promtool(), ['check', 'rules', ...files]);
    expect(r.stdout).toContain('SUCCESS: 24 rules found');
    expect(r.stdout).toContain('SUCCESS: 18 rules found');
    expect(r.code).toBe(0);
  });
});

describe.each(amtools)('Alertmanager config (amtool %s)', (_, amtool) => {
  const config = at('deploy/alertmanager/alertmanager.yml');

  test('amtool check-config accepts deploy/alertmanager/alertmanager.yml', async () => {
    const r = await run(amtool(), ['check-config', config]);
    expect(r.stdout).toContain('SUCCESS');
    expect(r.stdout).toContain('3 inhibit rules');
    expect(r.code).toBe(0);
  });

  test.each([
    [['team=payments', 'severity=warning', 'alertname=BurnrateSpendRateAnomaly'], 'team-payments'],
    [
      ['team=payments', 'severity=critical', 'alertname=BurnrateSpendRateAnomaly'],
      'team-payments-page',
    ],
    [['team=support', 'severity=critical', 'budget=support-monthly'], 'team-support-page'],
    [['team=search', 'severity=critical', 'budget=search-monthly'], 'finops-page'],
    [['team=search', 'severity=warning'], 'finops'],
    [['alertname=BurnrateCollectorDown', 'severity=critical'], 'platform'],
    [['alertname=BurnrateSpendTelemetryStopped', 'team=payments', 'severity=warning'], 'platform'],
    [['alertname=BurnrateBudgetDataMissing', 'severity=critical'], 'platform'],
  ])('routes %j to %s', async (labels, receiver) => {
    const r = await run(tools.amtool(), [
      'config',
      'routes',
      'test',
      `--config.file=${config}`,
      ...labels,
    ]);
    expect(r.stdout.trim()).toBe(receiver);
  });
});

describe('the harness', () => {
  test('a missing binary is one clear error that names the setup command (never a skip)', () => {
    const saved = process.env.BURNRATE_OTELCOL_BIN;
    process.env.BURNRATE_OTELCOL_BIN = '/nonexistent/otelcol-burnrate';
    try {
      expect(() => tools.otelcol()).toThrow(/BURNRATE_OTELCOL_BIN=.*npm run setup:tools/);
    } finally {
      if (saved === undefined) delete process.env.BURNRATE_OTELCOL_BIN;
      else process.env.BURNRATE_OTELCOL_BIN = saved;
    }
  });
});

describe('docker compose', () => {
  test('docker-compose config -q accepts docker-compose.yml', async () => {
    const r = await run(tools.dockerCompose(), ['-f', at('docker-compose.yml'), 'config', '-q'], {
      cwd: repoRoot,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('the stack has every part, and publishes ports on loopback only', async () => {
    const r = await run(
      tools.dockerCompose(),
      ['-f', at('docker-compose.yml'), 'config', '--services'],
      {
        cwd: repoRoot,
      },
    );
    const services = r.stdout.trim().split('\n').sort();
    for (const s of [
      'collector',
      'prometheus',
      'alertmanager',
      'grafana',
      'budget-evaluator',
      'demo',
    ]) {
      expect(services).toContain(s);
    }
    const text = readFileSync(at('docker-compose.yml'), 'utf8');
    const published = [...text.matchAll(/^\s+- "([^"]+:\d+)"$/gm)].map((m) => m[1]);
    expect(published.length).toBeGreaterThan(5);
    for (const p of published) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });
});

describe('docker compose installs dependencies the way that works', () => {
  // `npm ci` refuses this lockfile on every machine (it cannot list the per-platform builds the
  // registry here does not serve), so the compose `deps` service must use the same install as
  // `npm start`, `npm test` and CI: scripts/install-deps.sh (`npm install` with the lockfile).
  test('the deps service runs scripts/install-deps.sh, never npm ci', async () => {
    const r = await run(tools.dockerCompose(), ['-f', at('docker-compose.yml'), 'config'], {
      cwd: repoRoot,
    });
    expect(r.code).toBe(0);
    const config = parse(r.stdout) as { services: Record<string, { command?: string[] }> };
    const command = (config.services.deps.command ?? []).join(' ');
    expect(command).toContain('bash scripts/install-deps.sh');
    expect(command).not.toMatch(/npm ci\b/);
    const script = readFileSync(at('scripts/install-deps.sh'), 'utf8');
    expect(script).toMatch(/^exec npm install --no-audit --no-fund/m);
  });
});
