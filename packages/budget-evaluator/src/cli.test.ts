import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from './cli-args.ts';
import { type FakeAlertmanager, startFakeAlertmanager } from './test-support/fake-servers.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../deploy/budgets.example.yaml', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--conditions=@burnrate/source', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('burnrate-evaluator check', () => {
  it('accepts the shipped example', () => {
    const r = run(['check', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${EXAMPLE}: ok, 5 budgets\n`);
    expect(r.status).toBe(0);
  });

  it('fails CI with one line naming file, line and field', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'budgets:\n  - name: a\n    period: monthly\n    limit_usd: -5\n    thresholds: [{ at: 1, kind: actual, severity: critical }]\n',
    );
    const r = run(['check', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `burnrate-evaluator: ${bad}:4:5: budgets[0].limit_usd: Too small: expected number to be >0\n`,
    );
  });

  it('rejects unknown commands with usage and exit code 2', () => {
    const r = run(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^burnrate-evaluator: unknown command "frobnicate"\n\nUsage:/);
  });
});

describe('serve arguments', () => {
  const env = {
    BURNRATE_CONFIG: 'b.yaml',
    BURNRATE_PROMETHEUS_URL: 'http://prom:9090/',
    BURNRATE_ALERTMANAGER_URL: 'http://am1:9093, http://am2:9093',
  };

  it('takes flags, or BURNRATE_* variables, with defaults', () => {
    expect(parseServeArgs([], env)).toEqual({
      config: 'b.yaml',
      prometheus: 'http://prom:9090',
      alertmanagers: ['http://am1:9093', 'http://am2:9093'],
      port: 9464,
      host: '0.0.0.0',
      intervalSeconds: 30,
      dashboardUrl: undefined,
    });
    const a = parseServeArgs(['--port', '0', '--interval', '1m', '--prometheus', 'https://p'], env);
    expect([a.port, a.intervalSeconds, a.prometheus]).toEqual([0, 60, 'https://p']);
  });

  it('names the flag and the variable of a bad value', () => {
    expect(() => parseServeArgs([], { ...env, BURNRATE_INTERVAL: 'soon' })).toThrow(
      '--interval (or BURNRATE_INTERVAL): expected a duration like 30s or 1m, got "soon"',
    );
    expect(() => parseServeArgs([], { ...env, BURNRATE_PORT: '99999' })).toThrow(
      '--port (or BURNRATE_PORT): expected a port number 0-65535, got "99999"',
    );
    expect(() => parseServeArgs([], { ...env, BURNRATE_PROMETHEUS_URL: 'prom:9090' })).toThrow(
      '--prometheus (or BURNRATE_PROMETHEUS_URL): expected an http(s) URL, got "prom:9090"',
    );
    expect(() => parseServeArgs([], { BURNRATE_CONFIG: 'x' })).toThrow(
      '--prometheus (or BURNRATE_PROMETHEUS_URL) is required',
    );
  });
});

describe('burnrate-evaluator serve', () => {
  let am: FakeAlertmanager;
  beforeAll(async () => {
    am = await startFakeAlertmanager();
  });
  afterAll(() => am.stop());

  it('serves, reports missing data, and shuts down gracefully on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@burnrate/source',
        CLI,
        'serve',
        '--config',
        EXAMPLE,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--interval',
        '1s',
      ],
      {
        env: {
          ...process.env,
          BURNRATE_PROMETHEUS_URL: 'http://127.0.0.1:9', // nothing listens: data missing
          BURNRATE_ALERTMANAGER_URL: am.url,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!/"port":\d+/.test(stderr) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const port = Number(/"port":(\d+)/.exec(stderr)?.[1]);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      while (
        !am.posts.some((p) => p.alert.labels.alertname === 'BurnrateBudgetDataMissing') &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(am.posts.map((p) => p.alert.labels.alertname)).toContain('BurnrateBudgetDataMissing');
      const doc = (await (await fetch(`${base}/api/v1/budgets`)).json()) as {
        dataMissing: boolean;
      };
      expect(doc.dataMissing).toBe(true);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('"msg":"shutting down","signal":"SIGTERM"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
