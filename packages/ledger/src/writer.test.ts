import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlSink } from './jsonl-sink.ts';
import { migrate } from './migrate.ts';
import { PostgresSink } from './pg-sink.ts';
import { type LedgerWriter, startWriter } from './server.ts';
import { ledgerEvent, logsBody, startPostgres } from './test-support/events.ts';

let pgServer: Awaited<ReturnType<typeof startPostgres>>;
let dir: string;
let writer: LedgerWriter;

beforeAll(async () => {
  pgServer = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), 'burnrate-ledger-'));
  writer = await startWriter({
    host: '127.0.0.1',
    port: 0,
    sinks: [new PostgresSink(pgServer.url(), 2), new JsonlSink(dir, 1_000_000)],
    token: 's3cret',
    maxBodyBytes: 1_000_000,
  });
});
afterAll(async () => {
  await writer?.close();
  await pgServer?.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (body: string, token = 's3cret') =>
  fetch(`${writer.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });

async function ledgerTotals(): Promise<{ rows: number; usd: string }> {
  const r = await pgServer.db.query<{ rows: number; usd: string }>(
    'SELECT count(*)::int AS rows, coalesce(sum(cost_usd), 0)::text AS usd FROM burnrate_ledger',
  );
  return r.rows[0];
}

async function jsonlRows(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const f of (await readdir(dir)).sort())
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n'))
      if (line) out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

describe('burnrate-ledger writer', () => {
  it('migrates once: a second run applies nothing', async () => {
    const first = await migrate(pgServer.url());
    expect(first.applied).toEqual(['0001_ledger.sql']);
    const again = await migrate(pgServer.url());
    expect(again).toEqual({ applied: [], skipped: ['0001_ledger.sql'] });
  });

  it('stores each event once in PostgreSQL and JSONL; the same body again adds nothing', async () => {
    const body = logsBody([
      ledgerEvent(1, 0.000375),
      ledgerEvent(2, 0.0125),
      ledgerEvent(3, 1.5e-7),
    ]);
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    expect(await ledgerTotals()).toEqual({ rows: 3, usd: '0.01287515' });
    const lines = await jsonlRows();
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.cost_usd)).toEqual(['0.000375', '0.0125', '0.00000015']);
    // Exactly the migration's column names, in its order.
    const sql = await readFile(new URL('../migrations/0001_ledger.sql', import.meta.url), 'utf8');
    const columns = [
      ...sql.matchAll(/^ {2}([a-z_]+)\s+(?:text|timestamptz|double|bigint|numeric|boolean)/gm),
    ].map((m) => m[1]);
    expect(Object.keys(lines[0])).toEqual(columns);
  });

  it('answers 503 while PostgreSQL is unreachable, and stores the batch when it is back', async () => {
    await pgServer.stop();
    const body = logsBody([ledgerEvent(10, 2), ledgerEvent(11, 3)]);
    const down = await post(body);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    await pgServer.start();
    expect((await post(body)).status).toBe(200);
    expect(await ledgerTotals()).toEqual({ rows: 5, usd: '5.01287515' });
    expect(await jsonlRows()).toHaveLength(5);
  });

  it('refuses a wrong token, another content type, and a body that is not OTLP', async () => {
    expect((await post(logsBody([ledgerEvent(20, 1)]), 'nope')).status).toBe(401);
    const raw = (type: string, body: ArrayBuffer) =>
      fetch(`${writer.url}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: 'Bearer s3cret' },
        body,
      });
    expect((await raw('text/plain', new Uint8Array([1]).buffer)).status).toBe(415);
    const badProto = await raw('application/x-protobuf', new Uint8Array([1, 2, 3]).buffer);
    expect(badProto.status).toBe(400);
    expect(await badProto.text()).toMatch(/truncated protobuf/);
    const bad = await post('{oops');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/body: not JSON/);
    expect((await ledgerTotals()).rows).toBe(5);
  });

  it('takes OTLP/protobuf too, as the OpenTelemetry proto exporter sends it', async () => {
    const exporter = new OTLPLogExporter({
      url: `${writer.url}/v1/logs`,
      headers: { authorization: 'Bearer s3cret' },
    });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'proto-app' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const spanContext = {
      traceId: 'e'.repeat(32),
      spanId: 'f'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
    };
    provider.getLogger('test').emit({
      eventName: 'burnrate.ledger.call',
      context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
      attributes: { cost_usd: 0.0375, cost_source: 'usage', outcome: 'ok', input_tokens: 1200 },
    });
    await provider.forceFlush();
    await provider.shutdown();
    const r = await pgServer.db.query<Record<string, string | number>>(
      "SELECT trace_id, span_id, service, input_tokens::int, cost_usd::text FROM burnrate_ledger WHERE service = 'proto-app'",
    );
    expect(r.rows).toEqual([
      {
        trace_id: 'e'.repeat(32),
        span_id: 'f'.repeat(16),
        service: 'proto-app',
        input_tokens: 1200,
        cost_usd: '0.0375',
      },
    ]);
    await pgServer.db.query("DELETE FROM burnrate_ledger WHERE service = 'proto-app'");
  });

  it('reports events that are not valid rows as a partial success (not retried)', async () => {
    const res = await post(logsBody([ledgerEvent(30, -2), ledgerEvent(31, 0.25)]));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      partialSuccess: { rejectedLogRecords: string; errorMessage: string };
    };
    expect(body.partialSuccess.rejectedLogRecords).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/cost_usd/);
    expect(await ledgerTotals()).toEqual({ rows: 6, usd: '5.26287515' });
  });
});
