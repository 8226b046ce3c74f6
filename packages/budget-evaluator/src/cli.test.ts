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
    const args = parseServeArgs([], env);
    expect(args).toMatchObject({
      config: 'b.yaml',
      prometheus: 'http://prom:9090',
      alertmanagers: ['http://am1:9093', 'http://am2:9093'],
      port: 9464,
      host: '127.0.0.1', // loopback unless told otherwise
      intervalSeconds: 30,
      dataGraceSeconds: 600,
      dashboardUrl: undefined,
      http: { allowedHosts: undefined, tls: undefined },
      prometheusConnection: { headers: {}, insecureSkipVerify: false },
    });
    expect(args.http.access).toEqual({});
    expect(parseServeArgs([], { ...env, BURNRATE_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const a = parseServeArgs(['--port', '0', '--interval', '1m', '--prometheus', 'https://p'], env);
    expect([a.port, a.intervalSeconds, a.prometheus]).toEqual([0, 60, 'https://p']);
  });

  it('names the flag and the variable of a bad value', () => {
    expect(() => parseServeArgs([], { ...env, BURNRATE_INTERVAL: 'soon' })).toThrow(
      '--interval (or BURNRATE_INTERVAL): expected a duration like 30s or 1m, got "soon"',
    );
    expect(() => parseServeArgs(['--data-grace', 'a while'], env)).toThrow(
      '--data-grace (or BURNRATE_DATA_GRACE): expected a duration like 10m or 1h, got "a while"',
    );
    expect(parseServeArgs(['--data-grace', '0'], env).dataGraceSeconds).toBe(0);
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

  it('rejects an interval longer than a day (Node timers overflow past 24.8 days)', () => {
    expect(() => parseServeArgs(['--interval', '25d'], env)).toThrow(
      '--interval (or BURNRATE_INTERVAL): expected at most 24h, got "25d"',
    );
    expect(() => parseServeArgs([], { ...env, BURNRATE_INTERVAL: '2160000' })).toThrow(
      '--interval (or BURNRATE_INTERVAL): expected at most 24h, got "2160000"',
    );
    expect(parseServeArgs(['--interval', '24h'], env).intervalSeconds).toBe(86_400);
  });

  it('rejects an empty item in the Alertmanager list', () => {
    for (const bad of [',', 'http://am1:9093,', 'http://am1:9093,,http://am2:9093', ' ']) {
      expect(() => parseServeArgs(['--alertmanager', bad], env)).toThrow(
        `--alertmanager (or BURNRATE_ALERTMANAGER_URL): empty item in the list "${bad}"`,
      );
    }
  });

  it('rejects a listen address that is not an IP address or host name', () => {
    for (const bad of ['256.1.1.1', '1.2.3', 'local host', '::1::2']) {
      expect(() => parseServeArgs(['--host', bad], env)).toThrow(
        `--host (or BURNRATE_HOST): expected an IP address or host name, got "${bad}"`,
      );
    }
    expect(parseServeArgs(['--host', '::1'], env).host).toBe('::1');
    expect(parseServeArgs(['--host', 'localhost'], env).host).toBe('localhost');
  });
});

describe('burnrate-evaluator serve', () => {
  let am: FakeAlertmanager;
  beforeAll(async () => {
    am = await startFakeAlertmanager();
  });
  afterAll(() => am.stop());

  it('exits 2 naming the flag for a bad interval, Alertmanager list or host', () => {
    const env = { BURNRATE_CONFIG: EXAMPLE, BURNRATE_PROMETHEUS_URL: 'http://127.0.0.1:9' };
    const cases: Array<[string[], string]> = [
      [['--alertmanager', 'http://127.0.0.1:9', '--interval', '25d', '--port', '0'], '--interval'],
      [['--alertmanager', ',', '--port', '0'], '--alertmanager'],
      [['--alertmanager', 'http://127.0.0.1:9', '--host', '256.1.1.1', '--port', '0'], '--host'],
      [
        ['--alertmanager', 'http://127.0.0.1:9', '--host', 'no-such-host.invalid', '--port', '0'],
        '--host',
      ],
    ];
    for (const [args, flag] of cases) {
      const r = run(['serve', ...args], env);
      expect(r.stderr.split('\n')[0]).toContain(`burnrate-evaluator: ${flag} (or BURNRATE_`);
      expect(r.status).toBe(2);
    }
  });

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

describe('burnrate-evaluator serve --digest-config', () => {
  const serveWith = (digest: string) => {
    const file = join(dir, 'digest.yaml');
    writeFileSync(file, digest);
    return spawn(
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
        '--digest-config',
        file,
      ],
      {
        env: {
          ...process.env,
          BURNRATE_PROMETHEUS_URL: 'http://127.0.0.1:9',
          BURNRATE_ALERTMANAGER_URL: 'http://127.0.0.1:9',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  };
  const collect = (child: ReturnType<typeof spawn>) => {
    const out = { stderr: '' };
    child.stderr?.on('data', (c: Buffer) => {
      out.stderr += c.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { out, exited };
  };

  it('schedules the weekly digest in its time zone, and stops it on SIGTERM', async () => {
    const child = serveWith(
      'schedule: "Mon 09:00"\ntimezone: Europe/Berlin\nchannels:\n  - type: webhook\n    name: erp\n    url: http://127.0.0.1:9/hook\n',
    );
    const { out, exited } = collect(child);
    try {
      const deadline = Date.now() + 15_000;
      while (!out.stderr.includes('digest: scheduled') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const line = out.stderr.split('\n').find((l) => l.includes('digest: scheduled')) ?? '';
      expect(JSON.parse(line).msg).toMatch(
        /^digest: scheduled "Mon 09:00" Europe\/Berlin, next run Mon \d{4}-\d\d-\d\d 09:00/,
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('does not start with a bad digest file: one line naming file, line and field', async () => {
    const child = serveWith('schedule: "Mon 09:00"\nchannels:\n  - type: webhook\n    name: erp\n');
    const { out, exited } = collect(child);
    expect(await exited).toBe(1);
    const first = out.stderr.split('\n')[0];
    expect(first).toMatch(/^burnrate-evaluator: .*digest\.yaml:3:\d+: channels\[0\]\.url/);
  });
});
