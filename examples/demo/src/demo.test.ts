import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, startOtlpReceiver } from '@burnrate/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoTraffic } from './traffic.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let receiver: OtlpReceiver;
let child: ChildProcess;
let serviceUrl: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  child = spawn(process.execPath, ['--conditions=@burnrate/source', path.join(here, 'main.ts')], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      DEMO_ERROR_RATE: '0.05',
      OTEL_SERVICE_NAME: 'demo',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      BURNRATE_ENVIRONMENT: 'demo',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serviceUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const line = d
        .toString()
        .split('\n')
        .find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { service: string }).service);
    });
    child.once('exit', (code) => reject(new Error(`demo exited ${code}`)));
  });
});

afterAll(async () => {
  child?.kill();
  await receiver?.close();
});

describe('the demo service (one import, stand-in model API)', () => {
  it('turns traffic into priced, attributed spans', async () => {
    const result = await generateDemoTraffic({ url: serviceUrl, requests: 60, concurrency: 4 });
    expect(result.sent).toBe(60);
    const spans = await receiver.waitForSpans(
      60,
      (s) => s.attributes['gen_ai.operation.name'] !== undefined,
      30_000,
    );
    const teams = new Set(spans.map((s) => s.attributes['burnrate.team']));
    expect([...teams].sort()).toEqual(['assistant', 'docs', 'research', 'search', 'trust-safety']);
    for (const s of spans) {
      expect(s.resource['deployment.environment.name']).toBe('demo');
      expect(String(s.attributes['burnrate.endpoint'])).toMatch(/^\/api\//);
      expect(String(s.attributes['burnrate.endpoint'])).not.toMatch(/doc-\d/);
      if (s.status?.code === 2) continue;
      if (s.attributes['gen_ai.request.model'] === 'acme-finetune-v2') {
        expect(s.attributes['burnrate.cost.source']).toBe('unpriced');
        expect(s.attributes['burnrate.cost.usd']).toBeUndefined();
      } else {
        expect(s.attributes['burnrate.cost.source']).toBe('usage');
        expect(s.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
      }
    }
    expect(spans.some((s) => s.status?.code === 2)).toBe(true);
    expect(
      spans.some((s) => Number(s.attributes['gen_ai.usage.cache_read.input_tokens']) > 0),
    ).toBe(true);
    expect(
      spans.some((s) => Number(s.attributes['gen_ai.usage.reasoning.output_tokens']) > 0),
    ).toBe(true);
  });
});
