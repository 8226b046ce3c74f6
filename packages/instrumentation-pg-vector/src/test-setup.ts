import { setupTracing, type TestTracing } from '@burnrate/test-utils';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import pgV80 from 'pg-v8-0';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PgVectorInstrumentation } from './index.ts';

/**
 * The newest and the oldest `pg` 8.x, tested side by side against the same server. pg 7 (the
 * major before) cannot connect on Node >= 14 (brianc/node-postgres#2282), so it is not supported.
 */
export const CLIENTS = [
  { version: '8.23', pg },
  { version: '8.0', pg: pgV80 as unknown as typeof pg },
] as const;

export interface Harness {
  tracing: TestTracing;
  instrumentation: PgVectorInstrumentation;
  port: number;
}

/**
 * A real PostgreSQL with pgvector (PGlite, in-process WASM) served over TCP on a free loopback
 * port, tracing with Burnrate's processor, and the instrumentation patched into both `pg` majors.
 */
export function useHarness(): Harness {
  const h = {} as Harness;
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  beforeAll(async () => {
    db = await PGlite.create({ extensions: { vector } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    h.port = Number(server.getServerConn().split(':').pop());
    h.tracing = setupTracing();
    h.instrumentation = new PgVectorInstrumentation();
    h.instrumentation.setTracerProvider(h.tracing.provider);
    for (const c of CLIENTS) h.instrumentation.patchExports('pg', c.pg);
  });
  afterEach(() => h.tracing.reset());
  afterAll(async () => {
    h.instrumentation?.disable();
    await server?.stop();
    await db?.close();
    await h.tracing?.shutdown();
  });
  return h;
}

export function connectionConfig(h: Harness) {
  return { host: '127.0.0.1', port: h.port, user: 'postgres', database: 'postgres' };
}
