// Benchmark of the ledger path: ledger events posted to the real Collector (logs/ledger, its
// persistent queue, batches of 1,000) → the writer (burnrate-ledger serve, its own process) →
// PostgreSQL (PGlite over its socket server: single-threaded WASM, so a lower bound of what a real
// PostgreSQL holds). Prints rows per second end to end and straight into the writer, and the
// storage per million rows (table + indexes; JSONL). Not a test: run it by hand.
//
//   node --conditions=@burnrate/source packages/ledger/bench/run.ts [rows] [both|pg|jsonl]
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import {
  freePort,
  makeTempDir,
  repoRoot,
  run,
  spawnManaged,
  startCollector,
  waitUntil,
} from '../../../test/harness/index.ts';

const ROWS = Number(process.argv[2] ?? 50_000);
const SINKS = process.argv[3] ?? 'both';
const SINK_NAME =
  SINKS === 'pg' ? 'PostgreSQL' : SINKS === 'jsonl' ? 'JSONL' : 'PostgreSQL + JSONL';
const PER_REQUEST = 1_000;
const MODELS = [
  ['gpt-4o-mini', 0.15, 0.6],
  ['gpt-4o', 2.5, 10],
  ['claude-sonnet-4-5', 3, 15],
] as const;

const kv = (key: string, value: object) => ({ key, value });
const s = (key: string, v: string) => kv(key, { stringValue: v });
const n = (key: string, v: number) => kv(key, { intValue: String(v) });
const d = (key: string, v: number) => kv(key, { doubleValue: v });

/** A ledger event shaped like the one import's (ledger-event.ts) for a chat call. */
function event(i: number) {
  const [model, pin, pout] = MODELS[i % MODELS.length];
  const input = 500 + (i % 3000);
  const output = 50 + (i % 700);
  const end = Date.now() * 1e6 + i;
  const iso = new Date(Math.floor(end / 1e6)).toISOString().replace('Z', '000Z');
  return {
    timeUnixNano: String(end),
    eventName: 'burnrate.ledger.call',
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    attributes: [
      s('time', iso),
      s('start_time', iso),
      d('duration_ms', 812.345 + (i % 100)),
      s('service', 'checkout-api'),
      s('service_instance', '0b9c2f3e-5d7a-4c1e-9f3b-2a6d8e4c1b7f'),
      s('environment', 'production'),
      s('team', `team-${i % 20}`),
      s('endpoint', `/api/v1/route-${i % 50}`),
      s('tenant', `tenant-${i % 1000}`),
      s('agent', 'support-agent'),
      s('run_id', randomBytes(8).toString('hex')),
      s('provider', 'openai'),
      s('operation', 'chat'),
      s('request_model', model),
      s('response_model', `${model}-2024-07-18`),
      s('pricing_model', model),
      s('catalog_version', '@pydantic/genai-prices@0.1.8'),
      n('input_tokens', input),
      n('output_tokens', output),
      n('cache_read_tokens', i % 2 ? 256 : 0),
      d('price_input_per_mtok', pin),
      d('price_output_per_mtok', pout),
      d('price_cache_read_per_mtok', pin / 2),
      d('cost_usd', (input * pin + output * pout) / 1e6),
      d('cost_input_usd', (input * pin) / 1e6),
      d('cost_output_usd', (output * pout) / 1e6),
      d('cost_cache_read_usd', 0),
      s('cost_source', 'usage'),
      s('outcome', 'ok'),
      kv('stream', { boolValue: false }),
    ],
  };
}

function body(from: number, count: number): string {
  const records = Array.from({ length: count }, (_, k) => event(from + k));
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [s('service.name', 'checkout-api')] },
        scopeLogs: [{ logRecords: records }],
      },
    ],
  });
}

async function postAll(url: string, offset: number, rows: number, concurrency = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < rows) {
      const from = next;
      next += PER_REQUEST;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(offset + from, Math.min(PER_REQUEST, rows - from)),
      });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const db = await PGlite.create();
const pg = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
await pg.start();
const databaseUrl = `postgres://postgres@${pg.getServerConn()}/postgres`;
const cli = join(repoRoot, 'packages/ledger/src/cli.ts');
const migrated = await run(process.execPath, [
  '--conditions=@burnrate/source',
  cli,
  'migrate',
  '--database-url',
  databaseUrl,
]);
if (migrated.code !== 0) throw new Error(migrated.stderr);
const jsonlDir = makeTempDir('ledger-bench-jsonl');
const port = await freePort();
const writer = spawnManaged('ledger-writer-bench', process.execPath, [
  '--conditions=@burnrate/source',
  cli,
  'serve',
  '--listen',
  `127.0.0.1:${port}`,
  ...(SINKS === 'jsonl' ? [] : ['--database-url', databaseUrl]),
  ...(SINKS === 'pg' ? [] : ['--jsonl-dir', jsonlDir]),
]);
await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 'writer', {
  exited: writer.exited,
});
const collector = await startCollector({
  env: {
    BURNRATE_LEDGER_EXPORTERS: '[otlp_http/ledger]',
    BURNRATE_LEDGER_ENDPOINT: `http://127.0.0.1:${port}`,
    BURNRATE_LEDGER_QUEUE_DIR: makeTempDir('ledger-bench-queue'),
    BURNRATE_LEDGER_BATCH_TIMEOUT: '200ms',
  },
});
const jsonlRows = () =>
  readdirSync(jsonlDir).reduce(
    (sum, f) => sum + readFileSync(join(jsonlDir, f), 'utf8').split('\n').length - 1,
    0,
  );
const count = async () =>
  SINKS === 'jsonl'
    ? jsonlRows()
    : (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM burnrate_ledger')).rows[0].n;

try {
  // Straight into the writer: requests of 1,000 rows, 4 at a time.
  let t0 = performance.now();
  await postAll(`http://127.0.0.1:${port}/v1/logs`, 0, ROWS);
  const direct = ROWS / ((performance.now() - t0) / 1000);
  // Through the Collector (its queue batches 1,000 events per request to the writer).
  t0 = performance.now();
  await postAll(`${collector.otlpHttpUrl}/v1/logs`, ROWS, ROWS);
  await waitUntil(async () => (await count()) >= 2 * ROWS, 'all rows', {
    timeoutMs: 600_000,
    intervalMs: 100,
  });
  const endToEnd = ROWS / ((performance.now() - t0) / 1000);
  const rows = await count();
  const size = (
    await db.query<{ table: string; total: string }>(
      "SELECT pg_table_size('burnrate_ledger')::text AS table, pg_total_relation_size('burnrate_ledger')::text AS total",
    )
  ).rows[0];
  if (SINKS === 'jsonl') size.total = size.table = '0';
  const jsonlBytes = readdirSync(jsonlDir).reduce(
    (sum, f) => sum + statSync(join(jsonlDir, f)).size,
    0,
  );
  const perMillion = (bytes: number) => `${(((bytes / rows) * 1e6) / 2 ** 30).toFixed(2)} GiB`;
  console.log(`| measure (sinks: ${SINKS}) | value |\n| --- | --- |`);
  console.log(`| rows stored | ${rows} |`);
  console.log(
    `| writer → ${SINK_NAME} (1,000-row requests, 4 concurrent) | ${Math.round(direct)} rows/s |`,
  );
  console.log(
    `| Collector → writer → ${SINK_NAME} (1,000-event batches) | ${Math.round(endToEnd)} rows/s |`,
  );
  console.log(
    `| PostgreSQL table, per row / per 1M rows | ${Math.round(Number(size.table) / rows)} B / ${perMillion(Number(size.table))} |`,
  );
  console.log(
    `| PostgreSQL table + indexes, per row / per 1M rows | ${Math.round(Number(size.total) / rows)} B / ${perMillion(Number(size.total))} |`,
  );
  console.log(
    `| JSONL, per row / per 1M rows | ${Math.round(jsonlBytes / rows)} B / ${perMillion(jsonlBytes)} |`,
  );
} finally {
  await collector.stop();
  await writer.stop();
  await pg.stop();
  await db.close();
}
