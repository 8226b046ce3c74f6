import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { artifactsDir, freePorts, makeTempDir, repoRoot } from './harness/index.ts';

// `npm start`, the README's quick start, as a user runs it (on free ports): everything comes up,
// the first dollar is queryable in Prometheus within 20 s (tools already built), the demo budget's
// forecast warning reaches Alertmanager and the webhook log within 5 minutes of traffic and is
// printed by the command, nothing fires falsely on the fresh install, and Ctrl-C stops it all.
const NAMES = [
  'OTLP_GRPC',
  'OTLP_HTTP',
  'COLLECTOR_METRICS',
  'COLLECTOR_TELEMETRY',
  'COLLECTOR_HEALTH',
  'PROMETHEUS',
  'ALERTMANAGER',
  'EVALUATOR',
  'DEMO',
  'WEBHOOK',
] as const;

let stack: ChildProcess | undefined;
afterAll(() => {
  if (!stack?.pid || stack.exitCode !== null || stack.signalCode !== null) return;
  try {
    process.kill(-stack.pid, 'SIGKILL');
  } catch {} // already gone
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The environment of a user's shell: no npm_* variables of the npm that runs this test. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string };
}

test('npm start: first dollar, a budget alert through Alertmanager, no false alert, Ctrl-C stops all', async () => {
  const ports = await freePorts(NAMES.length);
  const env: Record<string, string> = { BURNRATE_STACK_DIR: makeTempDir('stack') };
  NAMES.forEach((n, i) => {
    env[`BURNRATE_STACK_${n}_PORT`] = String(ports[i]);
  });
  const port = (n: (typeof NAMES)[number]): number => ports[NAMES.indexOf(n)];
  mkdirSync(artifactsDir, { recursive: true });
  const log = createWriteStream(join(artifactsDir, `npm-start-${Date.now()}.log`));
  let output = '';
  const started = Date.now();
  // Its own process group, so SIGINT reaches every process as a terminal's Ctrl-C does.
  stack = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: userEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) =>
    stack?.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
  );
  for (const s of [stack.stdout, stack.stderr]) {
    s?.on('data', (c: Buffer) => {
      output += c.toString();
      log.write(c);
    });
  }
  const waitFor = async (pattern: RegExp, ms: number): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const m = output.match(pattern);
      if (m) return m;
      if (stack?.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no ${pattern} within ${ms} ms:\n${output}`);
  };

  await waitFor(/Burnrate stack is up/, 120_000);
  const promUrl = `http://127.0.0.1:${port('PROMETHEUS')}`;
  for (const where of [promUrl, `http://127.0.0.1:${port('ALERTMANAGER')}`]) {
    expect(output).toContain(where);
  }
  expect(output).toContain(`http://127.0.0.1:${port('EVALUATOR')}/api/v1/budgets`);

  // The first dollar, printed by the command, and queryable.
  const first = await waitFor(/first dollar: \$([0-9.e-]+) .*, (\d+) s after npm start/, 60_000);
  expect(Number(first[1])).toBeGreaterThan(0);
  expect(Number(first[2])).toBeLessThanOrEqual(20);
  const query = async (
    q: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: q })}`);
    return ((await res.json()) as { data: { result: [] } }).data.result;
  };
  const spend = await query('sum by (service, environment) (burnrate_llm_cost_usd_total)');
  expect(spend.map((s) => s.metric)).toEqual([{ service: 'demo', environment: 'dev' }]);
  expect(Number(spend[0].value[1])).toBeGreaterThan(0);

  // Spend -> budget -> Alertmanager -> webhook, printed by the command, within 5 minutes.
  const alert = await waitFor(
    /alert: \[[^\]]+\] \S+ firing BurnrateBudgetThreshold warning .*demo-hourly.*/,
    300_000 - (Date.now() - started),
  );
  expect(alert[0]).toMatch(/forecast/);
  const am = (await (
    await fetch(`http://127.0.0.1:${port('ALERTMANAGER')}/api/v2/alerts`)
  ).json()) as AmAlert[];
  expect(am.some((a) => a.labels.budget === 'demo-hourly' && a.labels.severity === 'warning')).toBe(
    true,
  );

  // Nothing fired falsely on the fresh install: no critical, no data-missing, in Alertmanager or
  // on the webhook (the only alerts are the demo budget's true ones).
  const names = am.map((a) => `${a.labels.alertname}/${a.labels.severity}/${a.labels.budget}`);
  expect(names.filter((n) => !n.startsWith('BurnrateBudgetThreshold/'))).toEqual([]);
  expect(am.filter((a) => a.labels.severity === 'critical')).toEqual([]);
  expect(output).not.toMatch(/alert: .*(critical|BurnrateBudgetDataMissing)/);
  const rules = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as {
    data: { alerts: { labels: Record<string, string>; state: string }[] };
  };
  expect(rules.data.alerts.filter((a) => a.state === 'firing')).toEqual([]);

  const up = await query('up');
  const jobs = Object.fromEntries(up.map((u) => [u.metric.job, u.value[1]]));
  expect(jobs).toMatchObject({
    'burnrate-collector': '1',
    'burnrate-collector-telemetry': '1',
    'burnrate-budget-evaluator': '1',
    alertmanager: '1',
    prometheus: '1',
  });

  // Ctrl-C: the command stops everything it started.
  if (stack.pid) process.kill(-stack.pid, 'SIGINT');
  expect(await exited).not.toBeNull();
  expect(output).toContain('stack: stopped');
  for (const n of NAMES) expect(await portOpen(port(n)), `${n} still open`).toBe(false);
});
