/**
 * A user's install, the way they will do it: Burnrate's packages built and packed, installed with
 * npm into a fresh app beside the real `openai` SDK (no workspace, no source condition), then the
 * app run with `node --import @burnrate/auto` and as `import '@burnrate/auto'` first. Spans arrive
 * over real OTLP/HTTP with tokens and dollars.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  loadHar,
  type OtlpReceiver,
  type ReplayServer,
  startOtlpReceiver,
  startReplayServer,
} from '@burnrate/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npmCli = path.join(root, '.tools', 'node24', 'node_modules', 'npm', 'bin', 'npm-cli.js');
let app: string;
let replay: ReplayServer;
let receiver: OtlpReceiver;

function npm(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [npmCli, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

beforeAll(async () => {
  const built = execFileSync(
    process.execPath,
    [path.join(root, 'scripts', 'build.mjs'), '@burnrate/auto', '--with-deps'],
    { cwd: root, encoding: 'utf8' },
  );
  const names = [...built.matchAll(/^built (\S+)$/gm)].map((m) => m[1]);
  expect(names).toContain('@burnrate/auto');
  app = mkdtempSync(path.join(os.tmpdir(), 'burnrate-user-app-'));
  const tarballs = path.join(app, 'tarballs');
  const packages = readdirSync(path.join(root, 'packages'))
    .map((d) => path.join(root, 'packages', d))
    .filter((d) => {
      try {
        return names.includes(JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')).name);
      } catch {
        return false;
      }
    });
  const overrides: Record<string, string> = {};
  for (const dir of packages) {
    mkdirSync(tarballs, { recursive: true });
    const out = npm(['pack', '--pack-destination', tarballs, '--json'], dir).trim();
    const [{ name, filename }] = JSON.parse(out) as { name: string; filename: string }[];
    overrides[name] = `file:${path.join(tarballs, filename)}`;
  }
  const openaiVersion = JSON.parse(
    readFileSync(path.join(root, 'node_modules/openai/package.json'), 'utf8'),
  ).version;
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'user-app',
      private: true,
      type: 'module',
      dependencies: { '@burnrate/auto': overrides['@burnrate/auto'], openai: openaiVersion },
      // Burnrate's own packages come from the tarballs, not the registry.
      overrides: Object.fromEntries(
        Object.entries(overrides).filter(([name]) => name !== '@burnrate/auto'),
      ),
    }),
  );
  writeFileSync(
    path.join(app, 'app.mjs'),
    `import OpenAI from 'openai';
const openai = new OpenAI({ maxRetries: 0 });
const r = await openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }] });
console.log(JSON.stringify({ prompt: r.usage.prompt_tokens }));
`,
  );
  writeFileSync(
    path.join(app, 'first-line.mjs'),
    `import '@burnrate/auto';\nimport './app.mjs';\n`,
  );
  npm(['install', '--no-audit', '--no-fund'], app);
  replay = await startReplayServer();
  receiver = await startOtlpReceiver();
}, 600_000);

afterAll(async () => {
  await replay?.close();
  await receiver?.close();
  if (app && !process.env.KEEP_APP) rmSync(app, { recursive: true, force: true });
});

describe('a user installs @burnrate/auto from packed tarballs beside openai', () => {
  it.each([
    ['node --import @burnrate/auto app.mjs', ['--import', '@burnrate/auto', 'app.mjs']],
    ["import '@burnrate/auto' as the first line", ['first-line.mjs']],
  ])('%s', async (name, args) => {
    replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    // Async: the replay server and the receiver live in this process.
    const { stdout: out } = await run(process.execPath, args, {
      cwd: app,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: `${replay.url}/v1`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: name,
      },
    });
    expect(JSON.parse(out.trim()).prompt).toBe(15);
    const [span] = await receiver.waitForSpans(1, (s) => s.resource['service.name'] === name);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(15);
    expect(span.attributes['burnrate.cost.usd']).toBeCloseTo((15 * 0.5 + 20 * 1.5) / 1e6, 12);
  });
});
