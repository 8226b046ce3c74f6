/**
 * Runs INSIDE a private network namespace (`unshare -n node netns-main.ts DIR BINARY`): brings the
 * namespace's loopback up, starts the Weaviate server on it (its gRPC, profiler and cluster ports
 * bind every interface, and here every interface is this namespace's loopback), and exposes its
 * REST and gRPC ports as Unix sockets in DIR (sockets on the file system cross namespaces).
 * Exits when the server exits; SIGTERM stops both.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

const [dir, binary] = process.argv.slice(2);
if (!dir || !binary) {
  console.error('usage: netns-main.ts DIR WEAVIATE_BINARY');
  process.exit(2);
}
execFileSync('ip', ['link', 'set', 'lo', 'up']);

const REST_PORT = 8080;
const GRPC_PORT = 50051;
const server = spawn(
  binary,
  ['--host', '127.0.0.1', '--port', String(REST_PORT), '--scheme', 'http'],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      PATH: process.env.PATH,
      PERSISTENCE_DATA_PATH: join(dir, 'data'),
      AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED: 'true',
      DEFAULT_VECTORIZER_MODULE: 'none',
      ENABLE_MODULES: '',
      CLUSTER_HOSTNAME: 'node1',
      CLUSTER_ADVERTISE_ADDR: '127.0.0.1',
      RAFT_BOOTSTRAP_EXPECT: '1',
      GRPC_PORT: String(GRPC_PORT),
      DISABLE_TELEMETRY: 'true',
      LOG_LEVEL: 'error',
      QUERY_DEFAULTS_LIMIT: '10',
      GOMAXPROCS: '2',
    },
  },
);

for (const [name, port] of [
  ['rest', REST_PORT],
  ['grpc', GRPC_PORT],
] as const) {
  createServer((socket) => {
    const upstream = createConnection(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  }).listen(join(dir, `${name}.sock`));
}

const stop = () => {
  server.kill('SIGTERM');
  setTimeout(() => server.kill('SIGKILL'), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => process.exit(code ?? 0));
