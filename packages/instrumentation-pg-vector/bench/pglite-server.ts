/**
 * The bench's PostgreSQL with pgvector (PGlite over TCP on a free loopback port), in its own
 * process so that the server's work stays out of the client's CPU time, as with a real server.
 * Prints the port on stdout once listening; exits when its stdin closes (the bench ended).
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const db = await PGlite.create({ extensions: { vector } });
await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
await server.start();
process.stdout.write(`${server.getServerConn().split(':').pop()}\n`);
process.stdin.resume();
process.stdin.on('close', async () => {
  await server.stop();
  await db.close();
  process.exit(0);
});
