import { afterAll, expect, test } from 'vitest';
import {
  type CollectorHandle,
  diffSeries,
  expectedMetrics,
  generateTraffic,
  scrapeCollector,
  sendSpans,
  startCollector,
  toSeries,
} from './harness/index.ts';

// The agent's queue is on disk (collector/agent.yaml, file_storage): spans an agent accepted
// while its gateway was down survive the agent being SIGKILLed and restarted on the same
// storage dir, and are counted to 1e-9 $ once the gateway is back.

const started: CollectorHandle[] = [];
afterAll(async () => {
  for (const c of started) await c.stop();
});

test('spans queued on an agent survive kill -9 of the agent while the gateway is down', async () => {
  const gateway = await startCollector({
    configPaths: ['collector/otelcol.yaml', 'collector/gateway.yaml'],
    batchTimeout: '50ms',
    env: { BURNRATE_COLLECTOR_INSTANCE: 'gateway-1' },
  });
  started.push(gateway);
  const agent = await startCollector({
    configPaths: ['collector/agent.yaml'],
    batchTimeout: '50ms',
    env: { BURNRATE_GATEWAY_ENDPOINT: gateway.otlpGrpcEndpoint },
  });
  started.push(agent);

  // Delivered while the gateway is up...
  const first = generateTraffic(300, 41);
  await sendSpans(agent.otlpHttpUrl, first);
  const costOf = async (spans: ReturnType<typeof generateTraffic>) => {
    const want = expectedMetrics(spans).burnrate_llm_cost_usd_total;
    const got = toSeries(
      (await scrapeCollector(gateway.metricsUrl))
        .filter((s) => s.name === 'burnrate_llm_cost_usd_total')
        .map((s) => {
          const { collector_instance: _, ...labels } = s.labels;
          return { labels, value: s.value };
        }),
    );
    return diffSeries(got, want);
  };
  const until = async (check: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  };
  await until(async () => (await costOf(first)).length === 0, 15_000);
  expect(await costOf(first)).toEqual([]);

  // ...then the gateway is down: the agent accepts and queues on disk, and is killed.
  await gateway.kill('SIGKILL');
  const second = generateTraffic(500, 42);
  await sendSpans(agent.otlpHttpUrl, second);
  await new Promise((r) => setTimeout(r, 1_000));
  await agent.kill('SIGKILL');

  // The gateway comes back on its storage (its counters continue from what it had sent), the
  // agent restarts on its storage dir and delivers what it had queued: both batches, exactly.
  await gateway.start();
  await agent.start();
  const both = [...first, ...second];
  await until(async () => (await costOf(both)).length === 0, 30_000);
  expect(await costOf(both)).toEqual([]);
}, 90_000);
