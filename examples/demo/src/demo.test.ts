import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@burnrate/test-utils';
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

const isModelCall = (s: ReceivedSpan): boolean =>
  s.attributes['gen_ai.operation.name'] !== undefined &&
  s.attributes['gen_ai.operation.name'] !== 'invoke_agent';

afterAll(async () => {
  child?.kill();
  await receiver?.close();
});

describe('the demo service (one import, stand-in model API)', () => {
  it('turns traffic into priced, attributed spans', async () => {
    const result = await generateDemoTraffic({ url: serviceUrl, requests: 60, concurrency: 4 });
    expect(result.sent).toBe(60);
    // Model calls (an agent run's own `invoke_agent` span is not a call: no cost, checked below).
    const spans = await receiver.waitForSpans(60, isModelCall, 30_000);
    const teams = new Set(spans.map((s) => s.attributes['burnrate.team']));
    expect([...teams].sort()).toEqual(['assistant', 'docs', 'research', 'search', 'trust-safety']);
    for (const s of spans.filter(isModelCall)) {
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

  it('prices the multi-agent research flow (OpenAI Agents SDK) per agent, tool and run', async () => {
    // A few runs of their own: the traffic mix sends few, and the stand-in fails some calls.
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fetch(`${serviceUrl}/api/research`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ q: `research question ${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(results).toContain(200);
    const [run] = await receiver.waitForSpans(
      1,
      (s) =>
        s.attributes['gen_ai.operation.name'] === 'invoke_agent' &&
        s.attributes['burnrate.run.calls'] === 6,
      30_000,
    );
    // planner → researcher (web_search: embeddings + chat) → writer: six priced calls.
    expect(run.name).toBe('invoke_agent planner');
    expect(run.attributes['gen_ai.agent.name']).toBe('planner');
    expect(run.attributes['burnrate.endpoint']).toBe('/api/research');
    expect(run.attributes['burnrate.cost.source']).toBeUndefined();
    const calls = await receiver.waitForSpans(
      6,
      (s) =>
        isModelCall(s) && s.attributes['burnrate.run.id'] === run.attributes['burnrate.run.id'],
      10_000,
    );
    const byStep = calls.sort(
      (a, b) =>
        Number(a.attributes['burnrate.run.step']) - Number(b.attributes['burnrate.run.step']),
    );
    expect(byStep.map((s) => s.attributes['burnrate.run.step'])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(byStep.map((s) => s.attributes['gen_ai.agent.name'])).toEqual([
      'planner',
      'researcher',
      'researcher',
      'researcher',
      'researcher',
      'writer',
    ]);
    const tool = byStep.filter((s) => s.attributes['gen_ai.tool.name'] === 'web_search');
    expect(tool.map((s) => s.attributes['gen_ai.operation.name']).sort()).toEqual([
      'chat',
      'embeddings',
    ]);
    // The demo's record-only breaker (src/demo-env.ts: planner runs, 5 calls) marks the 6th.
    expect(byStep.map((s) => s.attributes['burnrate.breaker.kind'])).toEqual([
      ...Array(5).fill(undefined),
      'steps',
    ]);
    expect(byStep[5].attributes['burnrate.breaker.mode']).toBe('record');
    const cost = byStep.reduce((t, s) => t + Number(s.attributes['burnrate.cost.usd']), 0);
    expect(Number(run.attributes['burnrate.run.cost_usd'])).toBeCloseTo(cost, 12);
  }, 60_000);
});
