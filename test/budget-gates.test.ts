// End to end: instrumented openai calls in this process -> real OTLP spans -> the real Collector
// -> the real Prometheus -> the real budget-evaluator process (its CLI) -> GET /api/v1/budgets
// -> this process's evaluator-fed gates, which block the over-budget team within one refresh.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BurnrateSpanProcessor, withAttribution } from '@burnrate/core';
import { OpenAIInstrumentation } from '@burnrate/instrumentation-openai';
import { type ReplayServer, startReplayServer } from '@burnrate/test-utils';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  type BudgetGatesHandle,
  budgetGatesOptionsFromEnv,
  removeBudgetGate,
  startBudgetGates,
} from '../packages/budget/src/index.ts';
import {
  catalogCost,
  MESSAGES,
  promptTokens,
  serveChat,
} from '../packages/budget/src/test-setup.ts';
import {
  type AlertmanagerHandle,
  type CollectorHandle,
  freePort,
  type ManagedProcess,
  makeTempDir,
  type PrometheusHandle,
  spawnEvaluator,
  startAlertmanager,
  startCollector,
  startPrometheus,
  waitUntil,
} from './harness/index.ts';

// The gates refresh every 500 ms (+-10 % jitter); a refresh request takes a few ms locally.
const REFRESH_MS = 500;
const MODEL = 'gpt-4o-mini';
const PER_CALL = catalogCost(MODEL, promptTokens(MODEL), 1000);
// The search team may spend what 3.5 calls cost: the 4th call pushes it over.
const SEARCH_LIMIT = Number((PER_CALL * 3.5).toFixed(6));

let collector: CollectorHandle;
let prom: PrometheusHandle;
let am: AlertmanagerHandle;
let evaluator: ManagedProcess;
let evaluatorUrl: string;
let replay: ReplayServer;
let provider: TracerProvider;
let memory: InMemorySpanExporter;
let instrumentation: OpenAIInstrumentation;
let gates: BudgetGatesHandle;

interface BudgetDoc {
  name: string;
  state: string;
  spentUsd: number;
}

async function budgets(): Promise<BudgetDoc[]> {
  const res = await fetch(`${evaluatorUrl}/api/v1/budgets`);
  if (!res.ok) return [];
  return ((await res.json()) as { budgets: BudgetDoc[] }).budgets;
}

function ask(team: string) {
  const openai = new OpenAI({ apiKey: 'test-key', baseURL: `${replay.url}/v1`, maxRetries: 0 });
  return withAttribution({ team, endpoint: '/answer' }, () =>
    openai.chat.completions.create({ model: MODEL, max_tokens: 1000, messages: MESSAGES }),
  );
}

beforeAll(async () => {
  collector = await startCollector({ batchTimeout: '50ms' });
  prom = await startPrometheus({ scrapeTargets: [collector.metricsTarget] });
  am = await startAlertmanager();
  const dir = makeTempDir('budget-gates');
  const config = join(dir, 'budgets.yaml');
  writeFileSync(
    config,
    `defaults:
  thresholds: [{ at: 100%, kind: actual, severity: critical }]
budgets:
  - name: search-daily
    selector: { team: search, environment: e2e }
    period: daily
    limit_usd: ${SEARCH_LIMIT}
    enforcement: { mode: block }
  - name: ads-daily
    selector: { team: ads, environment: e2e }
    period: daily
    limit_usd: 100
    enforcement: { mode: block }
`,
  );
  const port = await freePort();
  evaluatorUrl = `http://127.0.0.1:${port}`;
  evaluator = spawnEvaluator('budget-evaluator-gates', [
    '--config',
    config,
    '--prometheus',
    prom.url,
    '--alertmanager',
    am.url,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--interval',
    '1s',
  ]);
  await waitUntil(
    // Up, but its status API answers 503 until Prometheus holds cost data.
    async () => (await fetch(`${evaluatorUrl}/healthz`)).ok,
    'budget evaluator',
    {
      timeoutMs: 60_000,
      exited: evaluator.exited,
      logFile: evaluator.logFile,
    },
  );

  // This process: an instrumented openai client whose spans go to the real Collector.
  memory = new InMemorySpanExporter();
  provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'gates-e2e',
      'deployment.environment.name': 'e2e',
    }),
    spanProcessors: [
      new BurnrateSpanProcessor(),
      new SimpleSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${collector.otlpHttpUrl}/v1/traces` }),
      }),
      new SimpleSpanProcessor({ exporter: memory }),
    ],
  });
  instrumentation = new OpenAIInstrumentation();
  instrumentation.setTracerProvider(provider);
  instrumentation.patchExports('openai', { OpenAI });
  replay = await startReplayServer();
  serveChat(replay, 100);
  // The gates, configured as a service would be: from its environment.
  const options = budgetGatesOptionsFromEnv({
    BURNRATE_EVALUATOR_URL: evaluatorUrl,
    BURNRATE_EVALUATOR_REFRESH: `${REFRESH_MS}ms`,
    OTEL_SERVICE_NAME: 'gates-e2e',
    BURNRATE_ENVIRONMENT: 'e2e',
  });
  gates = startBudgetGates(options!);
  await gates.ready;
});

afterAll(async () => {
  gates?.stop();
  removeBudgetGate();
  instrumentation?.disable();
  await provider?.shutdown();
  await replay?.close();
  await evaluator?.stop();
  await am?.stop();
  await prom?.stop();
  await collector?.stop();
});

describe('budget gates fed by a running evaluator', () => {
  it("an exceeded team budget blocks that team's calls within one refresh, and not another team's", async () => {
    // Both teams spend through real instrumented calls, as a service would. The evaluator has
    // no cost data yet (a fresh install: its budgets are `waiting`, or before its first cycle
    // its API answers 503): the gates let the calls through, and say why on the spans.
    for (let i = 0; i < 4; i++) await ask('search');
    await ask('ads');
    await provider.forceFlush();
    expect(replay.requests.length).toBe(5);
    const first = memory.getFinishedSpans()[0].attributes;
    expect(first['burnrate.budget.evaluator.decision']).toBe('allow');
    if (first['burnrate.budget.evaluator.status'] === 'fresh')
      expect(first['burnrate.budget.evaluator.state']).toBe('waiting');
    else expect(first['burnrate.budget.evaluator.status']).toBe('unreachable');

    // The evaluator sees the search team's spend (4 calls, over its limit) through Prometheus.
    let exceededAt = 0;
    await waitUntil(
      async () => {
        const search = (await budgets()).find((b) => b.name === 'search-daily');
        if (search?.state !== 'exceeded') return false;
        exceededAt = Date.now();
        return true;
      },
      'search-daily exceeded in the evaluator',
      { timeoutMs: 60_000, intervalMs: 50, logFile: evaluator.logFile },
    );
    const search = (await budgets()).find((b) => b.name === 'search-daily')!;
    expect(search.spentUsd).toBeCloseTo(4 * PER_CALL, 6);

    // Within one refresh of the gates, search calls are refused before any request...
    let blocked: BudgetExceededError | undefined;
    while (!blocked) {
      const r = await ask('search').then(
        () => undefined,
        (e: unknown) => e,
      );
      if (r instanceof BudgetExceededError) blocked = r;
      else if (r) throw r;
      else await new Promise((res) => setTimeout(res, 20));
    }
    const latency = Date.now() - exceededAt;
    expect(latency).toBeLessThanOrEqual(REFRESH_MS * 1.1 + 250);
    expect(blocked.budget).toBe('search-daily');
    expect(blocked.kind).toBe('evaluator');
    const requestsBefore = replay.requests.length;
    await expect(ask('search')).rejects.toBeInstanceOf(BudgetExceededError);
    expect(replay.requests.length).toBe(requestsBefore);

    // ...while the ads team's calls go through.
    await ask('ads');
    expect(replay.requests.length).toBe(requestsBefore + 1);

    const spans = memory.getFinishedSpans();
    const refused = spans.filter(
      (s) => s.attributes['burnrate.budget.evaluator.decision'] === 'block',
    );
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0].attributes).toMatchObject({
      'burnrate.budget.evaluator.budget': 'search-daily',
      'burnrate.budget.evaluator.state': 'exceeded',
      'burnrate.budget.evaluator.status': 'fresh',
      'burnrate.team': 'search',
    });
    expect(spans.at(-1)!.attributes).toMatchObject({
      'burnrate.team': 'ads',
      'burnrate.budget.evaluator.decision': 'allow',
      'burnrate.budget.evaluator.budget': 'ads-daily',
    });
  });
});
