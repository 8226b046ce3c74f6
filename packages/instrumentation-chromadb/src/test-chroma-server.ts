import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The venv `scripts/setup/chroma.sh` installs. */
export const CHROMA_BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../.tools/chroma/current/bin/chroma',
);

export interface ChromaServer {
  host: string;
  port: number;
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`chroma exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${url}/api/v2/heartbeat`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`chroma did not answer ${url}/api/v2/heartbeat within 30 s:\n${log()}`);
}

/** Starts a real Chroma server on a free loopback port with a temporary data directory. */
export async function startChroma(bin = CHROMA_BIN): Promise<ChromaServer> {
  if (!existsSync(bin)) {
    throw new Error(
      `Chroma is not installed (${bin} is missing): run \`npm run setup:tools\` (or bash scripts/setup/chroma.sh) first.`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'burnrate-chroma-'));
  const host = '127.0.0.1';
  const port = await freePort();
  const child = spawn(bin, ['run', '--path', dir, '--host', host, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ANONYMIZED_TELEMETRY: 'False' },
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://${host}:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, port, url, stop };
}
