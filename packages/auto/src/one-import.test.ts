import { loadHar } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, lastJson, runApp as run, useAppHarness } from './test-support/app-harness.ts';

const apps = appsDir();

const h = useAppHarness();

const forms: { name: string; args: string[]; attributed: boolean }[] = [
  {
    name: "ESM: import '@burnrate/auto' first, then a static import of openai",
    args: ['esm-static.mjs'],
    attributed: true,
  },
  {
    name: 'ESM: node --import @burnrate/auto',
    args: ['--import', '@burnrate/auto', 'esm-plain.mjs'],
    attributed: false,
  },
  {
    name: "CJS: require('@burnrate/auto') then require('openai')",
    args: ['cjs-require.cjs'],
    attributed: true,
  },
  {
    name: 'own NodeSDK + @burnrate/auto/instrumentations',
    args: ['own-sdk.mjs'],
    attributed: true,
  },
  {
    name: 'CJS: node --require @burnrate/auto',
    args: ['--require', '@burnrate/auto', 'cjs-plain.cjs'],
    attributed: false,
  },
];

describe('the one import, in a real child process, spans over real OTLP/HTTP', () => {
  it.each(forms)('$name', async ({ name, args, attributed }) => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-chat.har'));
    const service = `app-${forms.findIndex((f) => f.name === name)}`;
    const result = await h.runJson<{ chatTokens: number; chunks: number }>(apps, args, service, {
      BURNRATE_ENVIRONMENT: 'staging',
      BURNRATE_TEAM: 'platform',
    });
    expect(result.chatTokens).toBe(15);
    expect(result.chunks).toBeGreaterThan(5);
    const spans = await h.receiver.waitForSpans(2, (s) => s.resource['service.name'] === service);
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.resource['deployment.environment.name']).toBe('staging');
      expect(s.resource['burnrate.team']).toBe('platform');
      expect(s.attributes['gen_ai.provider.name']).toBe('openai');
      expect(s.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
      if (attributed) {
        expect(s.attributes['burnrate.team']).toBe('search');
        expect(s.attributes['burnrate.endpoint']).toBe('/search');
      }
    }
    const chat = spans.find((s) => s.attributes['gen_ai.request.stream'] === undefined);
    expect(chat?.attributes['gen_ai.usage.input_tokens']).toBe(15);
    expect(chat?.attributes['gen_ai.usage.output_tokens']).toBe(20);
    expect(chat?.attributes['burnrate.cost.usd']).toBeCloseTo((15 * 0.5 + 20 * 1.5) / 1e6, 12);
  });
});

describe('the one import fails open', () => {
  it('the service works unchanged when the exporter endpoint is down', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-chat.har'));
    const result = await h.runJson<{ chatTokens: number }>(
      apps,
      ['esm-static.mjs'],
      'endpoint-down',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
    );
    expect(result.chatTokens).toBe(15);
  });

  it('a bad BURNRATE_TEAM gives one clear error naming the variable, and the calls still work', async () => {
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-chat.har'));
    const { stdout, stderr } = await h.run(apps, ['esm-static.mjs'], 'bad-team', {
      BURNRATE_TEAM: 'user 1234 free text',
    });
    const errors = stderr.split('\n').filter((l) => l.includes('[burnrate]'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('BURNRATE_TEAM');
    expect(lastJson<{ chatTokens: number }>(stdout).chatTokens).toBe(15);
    const spans = await h.receiver.waitForSpans(
      2,
      (s) => s.resource['service.name'] === 'bad-team',
    );
    expect(spans[0].resource['burnrate.team']).toBeUndefined();
  });
});

describe('the one import picks up every instrumented client library', () => {
  const check = async (app: string, env: Record<string, string> = {}) => {
    const { stdout } = await run(process.execPath, ['--conditions=@burnrate/source', app], {
      cwd: apps,
      env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none', ...env },
      timeout: 60_000,
    });
    return lastJson<Record<string, boolean | string>>(stdout);
  };
  const libraries = [
    'openai',
    '@anthropic-ai/sdk',
    '@aws-sdk/client-bedrock-runtime',
    '@google/genai',
    'cohere-ai',
    '@mistralai/mistralai',
    '@pinecone-database/pinecone',
    '@qdrant/js-client-rest',
    'chromadb',
    'weaviate-client',
    'pg',
    '@lancedb/lancedb',
  ];

  it.each([
    ['an ESM app (static imports after the one import)', 'all-sdks-esm.mjs'],
    ['a CommonJS app (require after the one import)', 'all-sdks-cjs.cjs'],
  ])('%s: the copy the app uses is patched', async (_name, app) => {
    const result = await check(app);
    expect(Object.keys(result).sort()).toEqual([...libraries].sort());
    for (const lib of libraries) expect([lib, result[lib]]).toEqual([lib, true]);
  });

  it('without Burnrate started, nothing is patched (the check can fail)', async () => {
    const result = await check('all-sdks-esm.mjs', { BURNRATE_AUTO_START: 'false' });
    for (const lib of libraries) expect([lib, result[lib]]).toEqual([lib, false]);
  });
});

describe('OTEL_BSP_* settings', () => {
  it('are honoured, and a bad one is reported by name and ignored', async () => {
    const { batchOptionsFromEnv } = await import('./batch-options.ts');
    const reports: string[] = [];
    const options = batchOptionsFromEnv(
      { OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: 'lots' },
      (m) => reports.push(m),
    );
    expect(options).toEqual({ scheduledDelayMillis: 200 });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^OTEL_BSP_MAX_QUEUE_SIZE: /);
  });
});
