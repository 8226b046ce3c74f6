import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type OtlpReceiver,
  type ReceivedSpan,
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

/** The JSON an app printed on its last line of output. */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as T;
}

export interface AppHarness {
  /** Serves recorded responses to the apps' client SDKs. */
  replay: ReplayServer;
  /** Receives the apps' OTLP/HTTP export. */
  receiver: OtlpReceiver;
  /**
   * Runs the test app `node --conditions=@burnrate/source <args>` in `cwd`, to completion, as
   * `service`: its OpenAI and Anthropic SDKs talk to the replay server, its spans go to the
   * receiver (OTLP/HTTP JSON, batches every 100 ms), the frameworks' own tracing is off. `extraEnv`
   * adds or overrides variables.
   */
  run(
    cwd: string,
    args: string[],
    service: string,
    extraEnv?: Record<string, string>,
  ): Promise<{ stdout: string; stderr: string }>;
  /** `run`, and the JSON the app printed last. */
  runJson<T = Record<string, unknown>>(
    cwd: string,
    args: string[],
    service: string,
    extraEnv?: Record<string, string>,
  ): Promise<T>;
  /** The service's spans once `count` arrived, and a little longer, so an extra span shows. */
  spansOf(service: string, count: number): Promise<ReceivedSpan[]>;
}

/** A replay server and an OTLP receiver for the file's tests, started once and closed after. */
export function useAppHarness(): AppHarness {
  const h = {} as AppHarness;
  h.run = (cwd, args, service, extraEnv = {}) =>
    runApp(process.execPath, ['--conditions=@burnrate/source', ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: `${h.replay.url}/v1`,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: h.replay.url,
        OPENAI_AGENTS_DISABLE_TRACING: '1',
        LANGCHAIN_TRACING_V2: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: h.receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: service,
        ...extraEnv,
      },
      timeout: 60_000,
    });
  h.runJson = async (cwd, args, service, extraEnv) =>
    lastJson((await h.run(cwd, args, service, extraEnv)).stdout);
  h.spansOf = async (service, count) => {
    const mine = (s: ReceivedSpan) => s.resource['service.name'] === service;
    await h.receiver.waitForSpans(count, mine);
    await new Promise((r) => setTimeout(r, 300));
    return h.receiver.spans.filter(mine);
  };
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
