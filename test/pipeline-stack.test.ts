import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { artifactsDir, freePorts, makeTempDir, repoRoot } from './harness/index.ts';

// `npm run stack` (scripts/stack.sh) as a user runs it, on free ports: everything comes up,
// the demo's spend reaches Prometheus through the real Collector, and Ctrl-C stops it all.
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
  stack?.kill('SIGKILL');
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

test('npm run stack starts every part, shows demo spend in Prometheus, and Ctrl-C stops all of it', async () => {
  const ports = await freePorts(NAMES.length);
  const env: Record<string, string> = {
    BURNRATE_STACK_DIR: makeTempDir('stack'),
    BURNRATE_STACK_SCRAPE_INTERVAL: '1s',
    BURNRATE_STACK_TRAFFIC_RPS: '5',
  };
  NAMES.forEach((n, i) => {
    env[`BURNRATE_STACK_${n}_PORT`] = String(ports[i]);
  });
  const port = (n: (typeof NAMES)[number]): number => ports[NAMES.indexOf(n)];
  mkdirSync(artifactsDir, { recursive: true });
  const log = createWriteStream(join(artifactsDir, `stack-${Date.now()}.log`));
  let output = '';
  stack = spawn('bash', [join(repoRoot, 'scripts/stack.sh')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    stack?.on('exit', (code) => resolve(code)),
  );
  for (const s of [stack.stdout, stack.stderr]) {
    s?.on('data', (c: Buffer) => {
      output += c.toString();
      log.write(c);
    });
  }
  const deadline = Date.now() + 120_000;
  while (!output.includes('Burnrate stack is up') && Date.now() < deadline) {
    if (stack.exitCode !== null) throw new Error(`stack.sh exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(output).toContain('Burnrate stack is up');
  const promUrl = `http://127.0.0.1:${port('PROMETHEUS')}`;
  for (const where of [
    promUrl,
    `http://127.0.0.1:${port('ALERTMANAGER')}`,
    `http://127.0.0.1:${port('DEMO')}`,
  ]) {
    expect(output).toContain(where);
  }

  // The stack runs its own Prometheus: query it directly.
  const query = async (
    q: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: q })}`);
    return ((await res.json()) as { data: { result: [] } }).data.result;
  };
  const until = Date.now() + 60_000;
  let spend: Awaited<ReturnType<typeof query>> = [];
  while (Date.now() < until) {
    spend = await query('sum by (service, environment, team) (burnrate_llm_cost_usd_total)');
    if (spend.length >= 3) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(spend.length).toBeGreaterThanOrEqual(3); // the demo's teams
  for (const s of spend) {
    expect(s.metric.service).toBe('demo');
    expect(s.metric.environment).toBe('dev');
    expect(Number(s.value[1])).toBeGreaterThan(0);
  }
  const up = await query('up');
  const jobs = Object.fromEntries(up.map((u) => [u.metric.job, u.value[1]]));
  expect(jobs).toMatchObject({
    'burnrate-collector': '1',
    'burnrate-collector-telemetry': '1',
    'burnrate-budget-evaluator': '1',
    alertmanager: '1',
    prometheus: '1',
  });
  const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
    data: { groups: { name: string }[] };
  };
  expect(rules.data.groups.map((g) => g.name).sort()).toEqual([
    'burnrate-month-to-date',
    'burnrate-spend-anomalies',
    'burnrate-spend-rates',
    'burnrate-telemetry',
  ]);

  // Ctrl-C: the script stops everything it started.
  stack.kill('SIGINT');
  expect(await exited).not.toBeNull();
  expect(output).toContain('stack: stopped');
  for (const n of NAMES) expect(await portOpen(port(n)), `${n} still open`).toBe(false);
});
