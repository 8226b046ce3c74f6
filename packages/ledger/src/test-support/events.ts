import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** An OTLP/JSON attribute. */
export const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
export const int = (key: string, v: number) => ({ key, value: { intValue: String(v) } });
export const dbl = (key: string, v: number) => ({ key, value: { doubleValue: v } });

/** A ledger event as the Collector's otlp_http exporter (encoding: json) sends it. */
export function ledgerEvent(i: number, cost: number, extra: object[] = []) {
  return {
    timeUnixNano: String(1_765_000_000_000_000_000n + BigInt(i) * 1_000_000n),
    eventName: 'burnrate.ledger.call',
    traceId: i.toString(16).padStart(32, 'a'),
    spanId: i.toString(16).padStart(16, 'b'),
    attributes: [
      str('provider', 'openai'),
      str('operation', 'chat'),
      str('request_model', 'gpt-4o-mini'),
      str('pricing_model', 'gpt-4o-mini'),
      int('input_tokens', 1000),
      int('output_tokens', 100),
      dbl('price_input_per_mtok', 0.15),
      dbl('price_output_per_mtok', 0.6),
      dbl('cost_usd', cost),
      str('cost_source', 'usage'),
      str('outcome', 'ok'),
      ...extra,
    ],
  };
}

export function logsBody(records: object[], service = 'checkout'): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: {
          attributes: [str('service.name', service), str('deployment.environment.name', 'test')],
        },
        scopeLogs: [{ scope: { name: '@burnrate/auto' }, logRecords: records }],
      },
    ],
  });
}

/** A real PostgreSQL (PGlite) on a free loopback port; `stop()` makes it unreachable. */
export async function startPostgres(): Promise<{
  db: PGlite;
  url: () => string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const db = await PGlite.create();
  let server: PGLiteSocketServer | undefined;
  let port = 0;
  const start = async () => {
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 16 });
    await server.start();
    port = Number(server.getServerConn().split(':').pop());
  };
  await start();
  return {
    db,
    url: () => `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    close: async () => {
      await server?.stop();
      await db.close();
    },
  };
}
