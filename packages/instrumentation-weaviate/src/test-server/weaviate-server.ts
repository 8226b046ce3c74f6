import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEAVIATE_VERSION = '1.35.2';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');

/** The server binary scripts/setup/weaviate.sh builds. */
export const WEAVIATE_BINARY = join(root, '.tools/weaviate', WEAVIATE_VERSION, 'weaviate-server');

export interface WeaviateServer {
  host: string;
  httpPort: number;
  grpcPort: number;
  stop(): Promise<void>;
}

function forward(socketPath: string): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = createConnection(socketPath);
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

async function waitReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`weaviate exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/.well-known/ready`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`weaviate not ready after ${timeoutMs} ms: ${last}`);
}

/**
 * Starts a real Weaviate server in its own network namespace (so the ports it binds on every
 * interface are private), with a temporary data directory, reachable from this process on two
 * free loopback ports (REST and gRPC) through Unix sockets.
 */
export async function startWeaviate(timeoutMs = 60_000): Promise<WeaviateServer> {
  if (!existsSync(WEAVIATE_BINARY)) {
    throw new Error(`${WEAVIATE_BINARY} is missing: run scripts/setup/weaviate.sh`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-weaviate-'));
  const child = spawn(
    'unshare',
    ['-n', process.execPath, join(here, 'netns-main.ts'), dir, WEAVIATE_BINARY],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  // The server's log is shown only when it fails to start.
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const servers: Server[] = [];
  const stop = async () => {
    for (const s of servers) s.close();
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    servers.push(await forward(join(dir, 'rest.sock')), await forward(join(dir, 'grpc.sock')));
    const [rest, grpc] = servers.map(portOf);
    await waitReady(rest, child, timeoutMs);
    return { host: '127.0.0.1', httpPort: rest, grpcPort: grpc, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`);
  }
}
