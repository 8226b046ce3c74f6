import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHar, type ReplayServer, startReplayServer } from '@burnrate/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import {
  artifactsDir,
  type CollectorHandle,
  diffSeries,
  expectedMetrics,
  freePort,
  generateTraffic,
  type PrometheusHandle,
  repoRoot,
  type SpanSpec,
  sendSpans,
  startCollector,
  startPrometheus,
  toSeries,
  total,
} from './harness/index.ts';
import { METRICS, monthToDateRules } from './pipeline-support.ts';
import { type DnsStub, startDnsStub } from './pipeline-tiers-dns.ts';
import {
  CALL_COST,
  countedFromSamples,
  monthToDateMismatch,
  seriesPerInstance,
  seriesTotal,
  settledMonthToDate,
  spendInPrometheus,
  startApp,
} from './pipeline-tiers-support.ts';

// Agent and gateway tiers (collector/README.md "Agent and gateway tiers"), real processes: two
// gateways (collector/otelcol.yaml + collector/gateway.yaml) behind one DNS name with two A
// records, two agents (collector/agent.yaml) resolving it with gRPC's DNS resolver and
// round-robin balancing, three apps with the one import (their own cost counters stay on their
// agent) and a stream of priced spans through both agents. The money adds up to 1e-9 $ per
// series across both gateways; then one gateway is SIGKILLed and the other restarted gracefully
// while the traffic goes on, and what Prometheus lost is measured in dollars and spans.

const rules = monthToDateRules();
let dns: DnsStub;
let replay: ReplayServer;
const gateways: CollectorHandle[] = [];
const agents: CollectorHandle[] = [];
let prom: PrometheusHandle;
const apps: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let gatewayEndpoint = '';

beforeAll(async () => {
  // Two gateways on the same port of two loopback addresses, as two pods behind one name.
  const port = await freePort();
  dns = await startDnsStub(['127.0.0.2', '127.0.0.3']);
  replay = await startReplayServer(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
  for (const [i, ip] of ['127.0.0.2', '127.0.0.3'].entries()) {
    gateways.push(
      await startCollector({
        configPaths: ['collector/otelcol.yaml', 'collector/gateway.yaml'],
        otlpGrpcListen: `${ip}:${port}`,
        batchTimeout: '100ms',
        env: { BURNRATE_COLLECTOR_INSTANCE: `gateway-${i + 1}` },
      }),
    );
  }
  gatewayEndpoint = `dns://${dns.server}/burnrate-gateways.test:${port}`;
  for (const i of [1, 2]) {
    agents.push(
      await startCollector({
        configPaths: ['collector/agent.yaml'],
        batchTimeout: '100ms',
        env: {
          BURNRATE_COLLECTOR_INSTANCE: `agent-${i}`,
          BURNRATE_GATEWAY_ENDPOINT: gatewayEndpoint,
        },
      }),
    );
  }
  prom = await startPrometheus({
    scrapeTargets: [...gateways, ...agents].map((c) => c.metricsTarget),
    ruleFiles: [rules.file],
  });
}, 120_000);

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await prom?.stop();
  for (const c of [...agents, ...gateways]) await c.stop();
  await replay?.close();
  await dns?.close();
  rules.remove();
});

/** Spans that carry no app counters (not metered): the gateways count them. */
const spanTraffic = (count: number, seed: number): SpanSpec[] =>
  generateTraffic(count, seed).filter((s) => s.attributes['burnrate.metered'] === undefined);

const spanSeries = (m: string) => `sum without (collector_instance) (${m}{exported_instance=""})`;

type Config = {
  processors?: Record<string, unknown>;
  service?: { extensions?: string[] };
};
const config = (f: string) => parse(readFileSync(join(repoRoot, f), 'utf8')) as Config;

test('the overlays keep what they replace: the agents filter the apps’ metrics as a single Collector does, and no overlay drops an extension of the file below it', () => {
  expect(config('collector/agent.yaml').processors?.['filter/sdk_metrics']).toEqual(
    config('collector/otelcol.yaml').processors?.['filter/sdk_metrics'],
  );
  // A later --config file replaces a list whole: service.extensions must repeat the lower file's.
  for (const [lower, upper] of [
    ['collector/otelcol.yaml', 'collector/gateway.yaml'],
    ['collector/gateway.yaml', 'collector/gateway-auth.yaml'],
    ['collector/agent.yaml', 'collector/agent-auth.yaml'],
  ]) {
    const kept = config(upper).service?.extensions ?? [];
    for (const e of config(lower).service?.extensions ?? [])
      expect(kept, `${upper}: ${e}`).toContain(e);
  }
});

let sentBefore: SpanSpec[] = [];

test('spans through two agents reach both gateways; summed, every series is exact to 1e-9 $', async () => {
  sentBefore = spanTraffic(1500, 17);
  // In many requests over a few seconds (each agent flushes a batch every 100 ms), so round robin
  // has requests to spread once both connections are up (gRPC connects on the first request).
  for (let i = 0; i < sentBefore.length; i += 50) {
    await sendSpans(agents[(i / 50) % 2].otlpHttpUrl, sentBefore.slice(i, i + 50));
    await sleep(150);
  }
  const want = expectedMetrics(sentBefore);
  for (const m of METRICS) {
    await prom.waitFor(spanSeries(m), (s) => diffSeries(toSeries(s), want[m]).length === 0, {
      timeoutMs: 30_000,
    });
  }
  // Both gateways counted a share (a service's spans may reach either), labelled apart.
  const shares = await seriesPerInstance(prom, 'burnrate_llm_requests_total');
  expect(Object.keys(shares).sort()).toEqual(['gateway-1', 'gateway-2']);
  expect(Math.min(...Object.values(shares))).toBeGreaterThan(0);
  expect(shares['gateway-1'] + shares['gateway-2']).toBe(total(want.burnrate_llm_requests_total));
}, 90_000);

/** The spans sent so far, and what Prometheus lost of them (want - counted), in spans and $. */
const sent: SpanSpec[] = [];
const fileStarted = Date.now();
async function lost(): Promise<{ spans: number; usd: number; increaseSpans: number }> {
  const window = Math.ceil((Date.now() - fileStarted) / 1000) + 60;
  const want = expectedMetrics([...sentBefore, ...sent]);
  const counted = async (m: string) =>
    seriesTotal(await countedFromSamples(prom, `${m}{exported_instance=""}`, window));
  // The agents' queues drain and Prometheus scrapes: wait until the count holds still for 2 s
  // (on a loaded machine that takes longer than on a quiet one).
  let last = Number.NaN;
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
    await sleep(2_000);
    const now = await counted('burnrate_llm_requests_total');
    if (now === last) break;
    last = now;
  }
  const inc = await prom.query(
    `sum(increase(burnrate_llm_requests_total{exported_instance=""}[${window}s]))`,
  );
  return {
    spans: total(want.burnrate_llm_requests_total) - (await counted('burnrate_llm_requests_total')),
    usd: total(want.burnrate_llm_cost_usd_total) - (await counted('burnrate_llm_cost_usd_total')),
    increaseSpans: total(want.burnrate_llm_requests_total) - (inc[0]?.value ?? 0),
  };
}

/** Priced spans, 22 every 100 ms, alternating between the agents, for `ms`. */
async function stream(ms: number, seed: number): Promise<number> {
  const until = Date.now() + ms;
  let failed = 0;
  for (let n = 0; Date.now() < until; n++) {
    const batch = spanTraffic(22, seed + n);
    try {
      await sendSpans(agents[n % 2].otlpHttpUrl, batch);
      sent.push(...batch);
    } catch {
      failed++;
    }
    await sleep(100);
  }
  return failed;
}

/** Kills or restarts a gateway in the middle of 14 s of traffic; the loss it caused. */
type Loss = {
  spans: number;
  usd: number;
  increaseSpans: number;
  rate: number;
  unscrapedSeconds: number;
};

async function drill(
  gateway: CollectorHandle,
  signal: 'SIGKILL' | 'SIGTERM',
  env: Record<string, string>,
  seed: number,
): Promise<Loss> {
  const before = await lost();
  const count = sent.length;
  const started = Date.now();
  const traffic = stream(14_000, seed);
  await sleep(5_000);
  const stoppedAt = Date.now();
  await gateway.restart({ signal, downMs: 3_000, env });
  expect(await traffic).toBe(0); // the agents never refused a span
  const rate = (sent.length - count) / ((Date.now() - started) / 1000);
  const after = await lost();
  return {
    spans: after.spans - before.spans,
    usd: after.usd - before.usd,
    increaseSpans: after.increaseSpans - before.increaseSpans,
    rate,
    unscrapedSeconds: await unscraped(gateway.metricsTarget, stoppedAt),
  };
}

/**
 * How long the gateway counted without being scraped before it stopped: from its last successful
 * scrape to the first failed one after `stoppedAt` (read from Prometheus' own `up` samples, so a
 * scrape the loaded machine delayed counts as it happened).
 */
async function unscraped(target: string, stoppedAt: number): Promise<number> {
  const res = await fetch(
    `${prom.url}/api/v1/query?${new URLSearchParams({
      query: `up{instance="${target}"}[30s]`,
      time: String((stoppedAt + 2_500) / 1000),
    })}`,
  );
  const body = (await res.json()) as {
    data: { result: { values: [number, string][] }[] };
  };
  const samples = body.data.result[0]?.values ?? [];
  const down = samples.findIndex(([t, v]) => v === '0' && t * 1000 >= stoppedAt - 1_000);
  if (down < 1)
    throw new Error(`no scrape of ${target} failed after it stopped: ${JSON.stringify(samples)}`);
  return samples[down][0] - samples[down - 1][0];
}

const measured: Record<string, unknown> = {};

const spendHeld = () => spendInPrometheus(prom, Math.ceil((Date.now() - fileStarted) / 1000) + 60);
const monthToDate = () => settledMonthToDate(prom, rules.intervalSeconds);
/** The rules hold what the samples hold; if not, the series that differ, sample by sample. */
async function expectMonthToDateHolds(held: number, mtd: number): Promise<void> {
  if (Math.abs(mtd - held) <= 1e-6) return;
  const window = Math.ceil((Date.now() - fileStarted) / 1000) + 60;
  expect.fail(
    `month-to-date ${mtd} against ${held} held:\n${await monthToDateMismatch(prom, window)}`,
  );
}

test('a gateway killed (-9), another restarted (TERM), each starting with a new collector_instance: at most what it counted after its last scrape is lost; month-to-date holds the rest', async () => {
  measured.killNewInstance = await drill(
    gateways[0],
    'SIGKILL',
    { BURNRATE_COLLECTOR_INSTANCE: 'gateway-1-start-2' },
    1_000,
  );
  measured.termNewInstance = await drill(
    gateways[1],
    'SIGTERM',
    { BURNRATE_COLLECTOR_INSTANCE: 'gateway-2-start-2' },
    2_000,
  );
  for (const [name, m] of Object.entries(measured) as [string, Loss][]) {
    expect(m.spans, name).toBeGreaterThanOrEqual(0); // never a double count
    expect(m.usd, name).toBeGreaterThanOrEqual(-1e-9);
    // What it counted between its last scrape and its stop: at most the whole traffic (both
    // gateways' halves) over that gap, plus one agent batch in flight.
    expect(m.spans, name).toBeLessThanOrEqual(m.rate * m.unscrapedSeconds + 22);
  }
  // The rules hold every dollar Prometheus holds, across both restarts.
  const held = await spendHeld();
  const mtd = await monthToDate();
  measured.monthToDateNewInstance = { held, mtd };
  await expectMonthToDateHolds(held, mtd);
}, 150_000);

test('restarted with the same collector_instance, a gateway continues its counters from its storage: the apps lose nothing, a graceful restart nothing, a crash at most its last flush', async () => {
  // Three apps with the one import, 5 priced calls a second each, two on agent 1, one on agent 2.
  const started = [0, 1, 2].map((i) =>
    startApp(`tiers-app-${i}`, agents[i === 2 ? 1 : 0].otlpHttpUrl, replay.url),
  );
  apps.push(...started.map((a) => a.process));
  // Same collector_instance after the restart (as a restarted container keeps its host name).
  measured.killSameInstance = await drill(gateways[0], 'SIGKILL', {}, 3_000);
  measured.termSameInstance = await drill(gateways[1], 'SIGTERM', {}, 4_000);
  const calls = await Promise.all(started.map((a) => a.finish()));

  // The apps' own counters (on their agents) lost nothing: a gateway restart never touches them.
  for (const c of calls) expect(c.failed).toBe(0);
  const appWant = calls.reduce((s, c) => s + c.calls, 0) * CALL_COST;
  const appTotal = 'sum(burnrate_llm_cost_usd_total{environment="tiers"})';
  const app = await prom.waitFor(appTotal, (s) => Math.abs((s[0]?.value ?? 0) - appWant) <= 1e-9, {
    timeoutMs: 30_000,
  });
  expect(app[0].value).toBeCloseTo(appWant, 9);

  const held = await spendHeld();
  const mtd = await monthToDate();
  measured.monthToDateSameInstance = { held, mtd };
  console.log(`[tiers] ${JSON.stringify(measured)}`);
  writeFileSync(
    join(artifactsDir, 'pipeline-tiers.json'),
    `${JSON.stringify(measured, null, 2)}\n`,
  );
  // The same collector_instance restores the gateway's series from its storage (gateway.yaml:
  // burnrate_metrics `storage`): counters continue, no reset. A graceful stop loses nothing; a
  // crash, only what the gateway counted since its last flush (200 ms), never a double count.
  const term = measured.termSameInstance as Loss;
  expect(term.spans).toBe(0);
  expect(Math.abs(term.usd)).toBeLessThan(1e-9);
  const kill = measured.killSameInstance as Loss;
  expect(kill.spans).toBeGreaterThanOrEqual(0);
  expect(kill.usd).toBeGreaterThanOrEqual(-1e-9);
  expect(kill.spans).toBeLessThanOrEqual(kill.rate * 0.5 + 22);
  // No hidden reset for the month-to-date rules to miss: they hold every dollar Prometheus holds.
  await expectMonthToDateHolds(held, mtd);
}, 300_000);

test('why the apps’ counters stay on the agent: forwarded round robin, each cumulative series shows on both gateways and counts twice', async () => {
  const forwarding = await startCollector({
    configPaths: ['collector/agent.yaml'],
    batchTimeout: '100ms',
    env: {
      BURNRATE_COLLECTOR_INSTANCE: 'agent-forwarding',
      BURNRATE_GATEWAY_ENDPOINT: gatewayEndpoint,
      BURNRATE_METRICS_EXPORTERS: '[otlp_grpc/gateways]',
    },
  });
  try {
    const app = startApp('tiers-forwarded', forwarding.otlpHttpUrl, replay.url);
    apps.push(app.process);
    await sleep(12_000);
    const { calls } = await app.finish();
    const want = calls * CALL_COST;
    const q = 'burnrate_llm_cost_usd_total{exported_job="tiers-forwarded"}';
    await prom.waitFor(`count by (collector_instance) (${q})`, (s) => s.length === 2);
    await sleep(3_000);
    const window = Math.ceil((Date.now() - fileStarted) / 1000) + 60;
    const counted = seriesTotal(await countedFromSamples(prom, q, window));
    measured.forwardedAppCounters = { want, counted, ratio: counted / want };
    console.log(`[tiers] ${JSON.stringify(measured.forwardedAppCounters)}`);
    expect(counted / want).toBeGreaterThan(1.5);
  } finally {
    await forwarding.stop();
  }
}, 90_000);
