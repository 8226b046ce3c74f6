import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHar, type ReplayServer, startReplayServer } from '@burnrate/test-utils';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  artifactsDir,
  type CollectorHandle,
  freePort,
  type ManagedProcess,
  makeTempDir,
  type OtlpRecorder,
  type PrometheusHandle,
  removeTempDir,
  repoRoot,
  run,
  spawnManaged,
  startCollector,
  startOtlpRecorder,
  startPrometheus,
  waitUntil,
} from './harness/index.ts';

// The ledger, end to end: an app with the one import and BURNRATE_LEDGER=on makes priced calls
// (the real openai SDK against recorded responses); the Collector's logs/ledger pipeline sends
// the ledger events to the writer (burnrate-ledger serve), which stores them in PostgreSQL
// (PGlite over its socket server) and JSONL. The ledger's dollars must equal the spans' and
// Prometheus' to the cent; with the writer down for a while and the Collector restarted meanwhile,
// every row arrives exactly once when the writer is back.

// The recorded chat response: 15 input and 20 output tokens of gpt-3.5-turbo ($0.50 / $1.50 per M).
const CALL_COST = (15 * 0.5 + 20 * 1.5) / 1e6;
const cents = (usd: number) => Math.round(usd * 100);

let replay: ReplayServer;
let db: PGlite;
let pgServer: PGLiteSocketServer;
let databaseUrl: string;
let jsonlDir: string;
let queueDir: string;
let writerPort: number;
let writer: ManagedProcess | undefined;
let collector: CollectorHandle;
let recorder: OtlpRecorder;
let prom: PrometheusHandle;
const apps: ChildProcess[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cli = (...args: string[]) => [
  '--conditions=@burnrate/source',
  join(repoRoot, 'packages/ledger/src/cli.ts'),
  ...args,
];

async function startWriter(): Promise<void> {
  const w = spawnManaged(
    'ledger-writer',
    process.execPath,
    cli(
      'serve',
      '--listen',
      `127.0.0.1:${writerPort}`,
      '--database-url',
      databaseUrl,
      '--jsonl-dir',
      jsonlDir,
    ),
    { cwd: repoRoot },
  );
  writer = w;
  await waitUntil(
    async () => (await fetch(`http://127.0.0.1:${writerPort}/healthz`)).ok,
    'ledger writer',
    {
      exited: w.exited,
      logFile: w.logFile,
    },
  );
}

beforeAll(async () => {
  replay = await startReplayServer(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
  db = await PGlite.create();
  pgServer = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await pgServer.start();
  databaseUrl = `postgres://postgres@${pgServer.getServerConn()}/postgres`;
  jsonlDir = makeTempDir('ledger-jsonl');
  queueDir = makeTempDir('ledger-queue');
  writerPort = await freePort();
  await startWriter();
  collector = await startCollector({
    batchTimeout: '100ms',
    env: {
      BURNRATE_LEDGER_EXPORTERS: '[otlp_http/ledger]',
      BURNRATE_LEDGER_ENDPOINT: `http://127.0.0.1:${writerPort}`,
      BURNRATE_LEDGER_QUEUE_DIR: queueDir,
      BURNRATE_LEDGER_BATCH_TIMEOUT: '200ms',
      BURNRATE_LEDGER_RETRY_MAX_INTERVAL: '2s',
    },
  });
  recorder = await startOtlpRecorder(collector.otlpHttpUrl);
  prom = await startPrometheus({ scrapeTargets: [collector.metricsTarget] });
});
afterAll(async () => {
  for (const a of apps) a.kill('SIGKILL');
  await prom?.stop();
  await recorder?.stop();
  await collector?.stop();
  await writer?.stop();
  await pgServer?.stop();
  await db?.close();
  await replay?.close();
  for (const dir of [jsonlDir, queueDir]) if (dir) removeTempDir(dir);
});

/** Starts the steady-calls app (20 calls a second) as `service`; `stop()` resolves with its calls. */
function startApp(
  service: string,
  extraEnv: Record<string, string> = {},
): { stop: () => Promise<number>; refused: () => number } {
  mkdirSync(artifactsDir, { recursive: true });
  const log = createWriteStream(join(artifactsDir, `ledger-app-${service}-${Date.now()}.log`));
  let output = '';
  const app = spawn(
    process.execPath,
    ['--conditions=@burnrate/source', '--import', '@burnrate/auto', 'steady-calls.mjs'],
    {
      cwd: join(repoRoot, 'packages/auto/test-apps'),
      env: {
        PATH: process.env.PATH,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: `${replay.url}/v1`,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
        // Spans through the recorder (what the Collector accepted); metrics and logs direct.
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${recorder.url}/v1/traces`,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: service,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        BURNRATE_LEDGER: 'on',
        CALLS_PER_SECOND: '20',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  apps.push(app);
  for (const s of [app.stdout, app.stderr])
    s?.on('data', (c: Buffer) => {
      output += c.toString();
      log.write(c);
    });
  const exited = new Promise<void>((resolve) => app.once('exit', () => resolve()));
  let refused = 0;
  return {
    stop: async () => {
      app.kill('SIGTERM');
      await exited;
      const last = output.trim().split('\n').pop() ?? '{}';
      const result = JSON.parse(last) as { calls: number; failed: number; refused: number };
      expect(result.failed).toBe(0);
      refused = result.refused;
      return result.calls;
    },
    refused: () => refused,
  };
}

async function ledger(service: string): Promise<{ rows: number; usd: number; distinct: number }> {
  const r = await db.query<{ rows: number; usd: string | null; distinct: number }>(
    `SELECT count(*)::int AS rows, sum(cost_usd)::text AS usd,
            count(DISTINCT (trace_id, span_id))::int AS distinct
       FROM burnrate_ledger WHERE service = $1`,
    [service],
  );
  const row = r.rows[0];
  return { rows: row.rows, usd: Number(row.usd ?? 0), distinct: row.distinct };
}

function jsonl(service: string): { rows: number; usd: number; keys: number } {
  const rows = readdirSync(jsonlDir)
    .flatMap((f) => readFileSync(join(jsonlDir, f), 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<'service' | 'cost_usd' | 'trace_id' | 'span_id', string>)
    .filter((r) => r.service === service);
  return {
    rows: rows.length,
    usd: rows.reduce((s, r) => s + Number(r.cost_usd), 0),
    keys: new Set(rows.map((r) => `${r.trace_id}:${r.span_id}`)).size,
  };
}

async function waitForRows(service: string, calls: number, timeoutMs = 60_000): Promise<void> {
  const enough = async () => (await ledger(service)).rows >= calls;
  await waitUntil(enough, `${calls} ledger rows of ${service}`, { timeoutMs, intervalMs: 250 });
}

test('migrate is idempotent', async () => {
  const first = await run(process.execPath, cli('migrate', '--database-url', databaseUrl));
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/applied: 0001_ledger\.sql;/);
  const again = await run(process.execPath, cli('migrate', '--database-url', databaseUrl));
  expect(again.stdout).toMatch(/applied: none; already applied: 0001_ledger\.sql/);
});

test('every priced call is one ledger row: its dollars equal the spans and Prometheus, to the cent', async () => {
  const service = 'ledger-steady';
  const app = startApp(service);
  await sleep(6_000);
  const calls = await app.stop();
  expect(calls).toBeGreaterThan(60);
  await waitForRows(service, calls);
  await sleep(1_000); // nothing more arrives
  const want = calls * CALL_COST;
  const got = await ledger(service);
  expect(got).toMatchObject({ rows: calls, distinct: calls });
  expect(got.usd).toBeCloseTo(want, 9);
  // The spans the Collector accepted carry the same dollars.
  const spans = recorder.spans.filter((s) => s.resource?.['service.name'] === service);
  const spanUsd = spans.reduce((s, x) => s + Number(x.attributes['burnrate.cost.usd'] ?? 0), 0);
  expect(spans.filter((s) => s.attributes['burnrate.cost.source'] === 'usage')).toHaveLength(calls);
  expect(cents(got.usd)).toBe(cents(spanUsd));
  expect(got.usd).toBeCloseTo(spanUsd, 9);
  // Prometheus' total (the app's cumulative counters), once its last export is scraped.
  const total = await prom.waitFor(
    `sum(burnrate_llm_cost_usd_total{service="${service}"})`,
    (s) => Math.abs((s[0]?.value ?? 0) - want) < 1e-9,
    { timeoutMs: 30_000 },
  );
  expect(cents(total[0].value)).toBe(cents(got.usd));
  // The JSONL sink has the same rows.
  expect(jsonl(service)).toMatchObject({ rows: calls, keys: calls });
  expect(jsonl(service).usd).toBeCloseTo(want, 9);
});

test('every call a budget refused is a row too: cost source refused, no cost, the budget named', async () => {
  const service = 'ledger-refusals';
  const app = startApp(service, { REFUSE_EVERY: '4' });
  await sleep(4_000);
  const calls = await app.stop();
  const refused = app.refused();
  expect(refused).toBeGreaterThan(10);
  await waitForRows(service, calls + refused);
  await sleep(1_000);
  const r = await db.query<{
    source: string;
    rows: number;
    usd: string | null;
    budget: string | null;
  }>(
    `SELECT cost_source AS source, count(*)::int AS rows, sum(cost_usd)::text AS usd,
            max(budget_name) AS budget
       FROM burnrate_ledger WHERE service = $1 GROUP BY cost_source ORDER BY cost_source`,
    [service],
  );
  expect(r.rows).toEqual([
    { source: 'refused', rows: refused, usd: null, budget: 'ledger-refused' },
    { source: 'usage', rows: calls, usd: expect.any(String), budget: null },
  ]);
  expect(Number(r.rows[1].usd)).toBeCloseTo(calls * CALL_COST, 9);
});

test('the writer down for a while and a Collector restart meanwhile: every row arrives exactly once', async () => {
  const service = 'ledger-outage';
  const app = startApp(service);
  await sleep(3_000);
  await writer?.stop(); // the store is unreachable: the Collector queues on disk and retries
  await sleep(5_000);
  await collector.restart(); // graceful: what was queued stays in file_storage
  await sleep(5_000);
  const calls = await app.stop();
  expect(calls).toBeGreaterThan(150);
  await sleep(2_000);
  const during = await ledger(service);
  expect(during.rows).toBeLessThan(calls);
  await startWriter();
  await waitForRows(service, calls, 90_000);
  await sleep(3_000); // a late duplicate would show now
  const want = calls * CALL_COST;
  const got = await ledger(service);
  expect(got).toMatchObject({ rows: calls, distinct: calls });
  expect(got.usd).toBeCloseTo(want, 9);
  expect(jsonl(service)).toMatchObject({ rows: calls, keys: calls });
  const total = await prom.waitFor(
    `sum(burnrate_llm_cost_usd_total{service="${service}"})`,
    (s) => Math.abs((s[0]?.value ?? 0) - want) < 1e-9,
    { timeoutMs: 30_000 },
  );
  expect(cents(total[0].value)).toBe(cents(got.usd));
});

test('a re-sent batch adds nothing', async () => {
  const service = 'ledger-resent';
  const kv = (key: string, value: object) => ({ key, value });
  const records = [1, 2, 3].map((i) => ({
    timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
    eventName: 'burnrate.ledger.call',
    traceId: `${'c'.repeat(31)}${i}`,
    spanId: `${'d'.repeat(15)}${i}`,
    attributes: [
      kv('cost_usd', { doubleValue: 0.125 * i }),
      kv('cost_source', { stringValue: 'usage' }),
      kv('outcome', { stringValue: 'ok' }),
    ],
  }));
  const body = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [kv('service.name', { stringValue: service })] },
        scopeLogs: [{ logRecords: records }],
      },
    ],
  });
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`http://127.0.0.1:${writerPort}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
  }
  // And once more through the Collector (a sender's retry of a batch that had arrived).
  const res = await fetch(`${collector.otlpHttpUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(res.status).toBe(200);
  await sleep(2_000);
  expect(await ledger(service)).toEqual({ rows: 3, usd: 0.75, distinct: 3 });
  expect(jsonl(service)).toEqual({ rows: 3, usd: 0.75, keys: 3 });
});
