// Benchmark of the budget gate check (standalone, not a test):
//   npm run bench -w packages/budget   (node --conditions=@burnrate/source packages/budget/bench/run.ts)
// Prints a markdown table: per-call cost in microseconds of (1) the gate check alone, as the
// instrumentation runs it before a request, and (2) a whole instrumented openai call against an
// in-process stub fetch (no network), for: no budget, a withBudget scope, evaluator-fed cached
// states (20 budgets, refreshed in the background), and both. Configurations are interleaved
// round by round (so JIT warm-up and machine noise hit them alike); the best round is reported.
import {
  BurnrateSpanProcessor,
  consultGates,
  type ModelCallRequest,
  withAttribution,
} from '@burnrate/core';
import { OpenAIInstrumentation } from '@burnrate/instrumentation-openai';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { EvaluatorGate } from '../src/evaluator/decide.ts';
import { startFakeEvaluator } from '../src/evaluator/fake-evaluator.ts';
import { resourceLabels } from '../src/evaluator/labels.ts';
import { EvaluatorPoller } from '../src/evaluator/poller.ts';
import { removeBudgetGate, setEvaluatorGate } from '../src/gate.ts';
import { withBudget } from '../src/index.ts';

const ROUNDS = 9;
const GATE_CALLS = 20_000;
const SDK_CALLS = 1_000;

const provider = new TracerProvider({
  spanProcessors: [
    new BurnrateSpanProcessor(),
    new SimpleSpanProcessor({
      exporter: { export: (_s, done) => done({ code: 0 }), shutdown: async () => {} },
    }),
  ],
});
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(provider);
instrumentation.patchExports('openai', { OpenAI });

const completion = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 14, completion_tokens: 20, total_tokens: 34 },
});
const client = new OpenAI({
  apiKey: 'bench',
  baseURL: 'http://stub.invalid/v1',
  maxRetries: 0,
  fetch: async () => new Response(completion, { headers: { 'content-type': 'application/json' } }),
});
const messages = [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }];

const request: ModelCallRequest = {
  provider: 'openai',
  operation: 'chat',
  model: 'gpt-4o-mini',
  maxOutputTokens: 500,
  estimateInputTokens: () => 14,
  attribution: { team: 'search', endpoint: '/answer' },
  agent: {},
  run: undefined,
  fingerprint: () => '',
};

function gateCheck(): void {
  for (const d of consultGates(request)) {
    d.settle?.({ usd: 0.0000141, tokens: { input: 14, output: 20 } });
  }
}

async function time(n: number, body: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await body();
  return Number(process.hrtime.bigint() - t0) / n / 1000;
}

// An evaluator stand-in with 20 block budgets; the gate polls it in the background.
const ev = await startFakeEvaluator();
ev.set(
  Array.from({ length: 20 }, (_, i) => ({
    name: `team-${i}`,
    matchers: [
      { label: 'team', op: '=', value: `team-${i}` },
      { label: 'model', op: '=~', value: 'gpt-4o.*' },
    ],
    enforcement: { mode: 'block', degradeAt: null },
  })),
);
const poller = new EvaluatorPoller({
  url: ev.url,
  intervalMs: 1000,
  timeoutMs: 2000,
  maxStalenessMs: 60_000,
});
await poller.start();
const evaluatorGate = new EvaluatorGate(poller, {
  failClosed: false,
  degradeModels: {},
  degradeMaxTokens: undefined,
  resource: resourceLabels({ OTEL_SERVICE_NAME: 'bench' }),
});

type Config = { name: string; evaluator: boolean; budget: boolean };
const configs: Config[] = [
  { name: 'no budget (no gate registered)', evaluator: false, budget: false },
  { name: 'withBudget scope', evaluator: false, budget: true },
  { name: 'evaluator-fed cache (20 budgets)', evaluator: true, budget: false },
  { name: 'evaluator-fed cache + withBudget', evaluator: true, budget: true },
];

async function run(c: Config): Promise<{ gate: number; call: number }> {
  removeBudgetGate();
  if (c.evaluator) setEvaluatorGate(evaluatorGate);
  const scoped = <T>(fn: () => T): T =>
    withAttribution({ team: 'search', endpoint: '/answer' }, () =>
      c.budget ? withBudget({ maxUsd: 1_000_000, session: 'bench' }, fn) : fn(),
    );
  const gate = await scoped(() => time(GATE_CALLS, gateCheck));
  const call = await scoped(() =>
    time(SDK_CALLS, () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 500, messages }),
    ),
  );
  return { gate, call };
}

const best = configs.map(() => ({
  gate: Number.POSITIVE_INFINITY,
  call: Number.POSITIVE_INFINITY,
}));
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [i, c] of configs.entries()) {
    const r = await run(c);
    if (round === 0) continue; // warm-up round
    best[i].gate = Math.min(best[i].gate, r.gate);
    best[i].call = Math.min(best[i].call, r.call);
  }
}
poller.stop();
removeBudgetGate();
await ev.close();

console.log(`Node ${process.version}, openai 7.x, best of ${ROUNDS} interleaved rounds\n`);
console.log(
  '| configuration | gate check (µs/call) | instrumented call, stub fetch (µs/call) | call vs ungated |',
);
console.log('| --- | ---: | ---: | ---: |');
for (const [i, c] of configs.entries()) {
  const r = best[i];
  console.log(
    `| ${c.name} | ${r.gate.toFixed(2)} | ${r.call.toFixed(1)} | ${(r.call / best[0].call).toFixed(2)}x |`,
  );
}
instrumentation.disable();
await provider.shutdown();
