import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * A framework that brings its own copy of the SDK, of another major version, nested in its own
 * node_modules (openai 6 under the framework; the app declares only the framework and has no
 * other openai). Built in a temporary directory outside the repository, so nothing else resolves.
 */
const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoModules = path.resolve(here, '../../../node_modules');

let dir: string;
let replay: ReplayServer;
let receiver: OtlpReceiver;

const FRAMEWORK_ESM = `import OpenAI from 'openai';
import { VERSION } from 'openai/version';
export async function ask() {
  const chat = await new OpenAI({ maxRetries: 0 }).chat.completions.create({
    model: 'gpt-3.5-turbo',
    messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
  });
  return { chatTokens: chat.usage.prompt_tokens, sdk: VERSION };
}
`;

beforeAll(async () => {
  replay = await startReplayServer();
  receiver = await startOtlpReceiver();
  dir = mkdtempSync(path.join(tmpdir(), 'burnrate-nested-'));
  const fw = path.join(dir, 'node_modules', 'some-framework');
  mkdirSync(path.join(fw, 'node_modules'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', '@burnrate'), { recursive: true });
  symlinkSync(path.resolve(here, '..'), path.join(dir, 'node_modules', '@burnrate', 'auto'));
  symlinkSync(path.join(repoModules, 'openai-v6'), path.join(fw, 'node_modules', 'openai'));
  const json = (file: string, v: object) => writeFileSync(file, JSON.stringify(v));
  json(path.join(dir, 'package.json'), { dependencies: { 'some-framework': '1.0.0' } });
  json(path.join(fw, 'package.json'), {
    name: 'some-framework',
    version: '1.0.0',
    type: 'module',
    exports: './index.js',
    dependencies: { openai: '^6' },
  });
  writeFileSync(path.join(fw, 'index.js'), FRAMEWORK_ESM);
  writeFileSync(
    path.join(dir, 'app.mjs'),
    `import '@burnrate/auto';\nimport { ask } from 'some-framework';\nconsole.log(JSON.stringify(await ask()));\n`,
  );
});
afterAll(async () => {
  await replay.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("an SDK nested in a framework's node_modules, with another version", () => {
  it('ESM, static import: the framework’s own copy is patched and priced', async () => {
    replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    const { stdout } = await run(process.execPath, ['--conditions=@burnrate/source', 'app.mjs'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: `${replay.url}/v1`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'nested',
      },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(result.chatTokens).toBe(15);
    expect(result.sdk).toMatch(/^6\./);
    const spans = await receiver.waitForSpans(1, (s) => s.resource['service.name'] === 'nested');
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBe(15);
    expect(spans[0].attributes['burnrate.cost.usd']).toBeCloseTo((15 * 0.5 + 20 * 1.5) / 1e6, 12);
  });
});
