import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type OtlpReceiver,
  type ReplayServer,
  startOtlpReceiver,
  startReplayServer,
} from '@burnrate/test-utils';
import { afterAll, beforeAll } from 'vitest';

/** Runs a test app in a child process (`node <args>`), to completion. */
export const runApp = promisify(execFile);

/** A folder of test apps: `packages/auto/test-apps[/sub]`. */
export function appsDir(sub = ''): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-apps', sub);
}

export interface AppHarness {
  /** Serves recorded responses to the apps' client SDKs. */
  replay: ReplayServer;
  /** Receives the apps' OTLP/HTTP export. */
  receiver: OtlpReceiver;
}

/** A replay server and an OTLP receiver for the file's tests, started once and closed after. */
export function useAppHarness(): AppHarness {
  const h = {} as AppHarness;
  beforeAll(async () => {
    h.replay = await startReplayServer();
    h.receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await h.replay.close();
    await h.receiver.close();
  });
  return h;
}
