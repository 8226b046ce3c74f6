import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './tools.ts';

/** Where every process the harness starts keeps its log (gitignored), for debugging. */
export const artifactsDir = join(repoRoot, 'test/.artifacts');

export type ManagedProcess = {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number | undefined;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | string | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
};

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // Kill whatever a test left running when the test process exits, however it exits.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh temp dir, removed on test-process exit (or earlier with `removeTempDir`). */
export function makeTempDir(prefix: string): string {
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), `burnrate-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

let counter = 0;

/** Starts a binary with its output in test/.artifacts/<name>-<time>-<n>.log. */
export function spawnManaged(
  name: string,
  bin: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): ManagedProcess {
  hookExit();
  mkdirSync(artifactsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logFile = join(artifactsDir, `${name}-${stamp}-${process.pid}-${++counter}.log`);
  const log: WriteStream = createWriteStream(logFile);
  log.write(`$ ${bin} ${args.join(' ')}\n`);
  const child = spawn(bin, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | string | null>((resolve) => {
    child.on('error', (err) => {
      log.write(`\n[harness] failed to start: ${err.message}\n`);
      running.delete(child);
      resolve(`error: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      running.delete(child);
      log.write(`\n[harness] exited code=${code} signal=${signal}\n`);
      resolve(code ?? signal);
    });
  });
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || !running.has(child)) {
      await exited;
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, logFile, pid: child.pid, exited, stop };
}

/** Polls `check` until it returns true; throws with `describe()` (e.g. a log path) on timeout. */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number; exited?: Promise<unknown>; logFile?: string },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let gone: unknown;
  let isGone = false;
  options.exited?.then((v) => {
    isGone = true;
    gone = v;
  });
  const where = options.logFile ? ` (log: ${options.logFile})` : '';
  while (Date.now() < deadline) {
    if (isGone) throw new Error(`${what}: the process exited (${String(gone)})${where}`);
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
  throw new Error(`${what}: not ready after ${options.timeoutMs ?? 30_000} ms${where}`);
}

/** GET a URL and report whether it answered 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.ok;
}
