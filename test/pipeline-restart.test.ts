import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadHar, type ReplayServer, startReplayServer } from '@burnrate/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  artifactsDir,
  type CollectorHandle,
  type PrometheusHandle,
  repoRoot,
  startCollector,
  startPrometheus,
} from './harness/index.ts';

// The fault drill of the "money survives" issue: an app with the one import makes 20 priced
// calls a second; the Collector is SIGKILLed for 2 minutes and restarted, then restarted
// gracefully. Every dollar must reach Prometheus: the counters and the month-to-date recording
// rule equal the calls' exact cost. The app keeps its cost as cumulative counters (metering), so
// the export after each outage carries the whole total; the spans it could not deliver meanwhile
// are counted as dropped, with their dollars marked as still metered.

// The recorded chat response: 15 input and 20 output tokens of gpt-3.5-turbo, priced by the
// catalog at $0.50 and $1.50 per million tokens.
const CALL_COST = (15 * 0.5 + 20 * 1.5) / 1e6;

let collector: CollectorHandle;
let prom: PrometheusHandle;
let replay: ReplayServer;
let app: ChildProcess | undefined;

beforeAll(async () => {
  replay = await startReplayServer(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
  collector = await startCollector({ batchTimeout: '100ms' });
  prom = await startPrometheus({
    scrapeTargets: [collector.metricsTarget],
    ruleFiles: [join(repoRoot, 'deploy/prometheus/rules/burnrate-recording.yml')],
  });
});
afterAll(async () => {
  app?.kill('SIGKILL');
  await prom?.stop();
  await collector?.stop();
  await replay?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a 2-minute Collector outage and a graceful restart lose no dollar', async () => {
  mkdirSync(artifactsDir, { recursive: true });
  const log = createWriteStream(join(artifactsDir, `restart-drill-app-${Date.now()}.log`));
  let output = '';
  app = spawn(
    process.execPath,
    ['--conditions=@burnrate/source', '--import', '@burnrate/auto', 'steady-calls.mjs'],
    {
      cwd: join(repoRoot, 'packages/auto/test-apps'),
      env: {
        PATH: process.env.PATH,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: `${replay.url}/v1`,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
        OTEL_SERVICE_NAME: 'restart-drill',
        BURNRATE_ENVIRONMENT: 'drill',
        BURNRATE_TEAM: 'payments',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_METRIC_EXPORT_INTERVAL: '2000',
        CALLS_PER_SECOND: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const s of [app.stdout, app.stderr])
    s?.on('data', (c: Buffer) => {
      output += c.toString();
      log.write(c);
    });
  const exited = new Promise<void>((resolve) => app?.once('exit', () => resolve()));
  const total = 'sum(burnrate_llm_cost_usd_total{service="restart-drill"})';
  await prom.waitFor(total, (s) => (s[0]?.value ?? 0) > 0, { timeoutMs: 30_000 });
  await sleep(5_000);

  // Killed, for two minutes, then started again on the same ports.
  const pid = collector.pid();
  if (pid) process.kill(pid, 'SIGKILL');
  await sleep(120_000);
  await collector.restart();
  await sleep(15_000);
  // A graceful restart (SIGTERM, then start).
  await collector.restart();
  await sleep(10_000);

  app.kill('SIGTERM');
  await exited;
  const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
    calls: number;
    failed: number;
  };
  expect(result.failed).toBe(0);
  expect(result.calls).toBeGreaterThan(20 * 150 * 0.8);
  const want = result.calls * CALL_COST;

  // Every call's dollars in the counter...
  const got = await prom.waitFor(total, (s) => Math.abs((s[0]?.value ?? 0) - want) <= want * 1e-6, {
    timeoutMs: 60_000,
  });
  expect(got[0].value).toBeCloseTo(want, 9);
  // ...and in the month-to-date recording rule (evaluated once a minute), to the cent and better.
  const mtd = 'sum(team_environment:burnrate_cost_usd:month_to_date{environment="drill"})';
  const month = await prom.waitFor(mtd, (s) => Math.abs((s[0]?.value ?? 0) - want) <= want * 1e-6, {
    timeoutMs: 180_000,
  });
  expect(Math.abs(month[0].value - want) / want).toBeLessThanOrEqual(1e-6);

  // The outage is visible: spans the app could not deliver are counted, and their dollars are
  // marked as still metered (none lost).
  const dropped = await prom.query(
    'sum by (metered) (burnrate_sdk_dropped_spans_total{service="restart-drill"})',
  );
  expect(dropped.find((d) => d.labels.metered === 'true')?.value ?? 0).toBeGreaterThan(0);
  expect(dropped.find((d) => d.labels.metered === 'false')?.value ?? 0).toBe(0);
});
