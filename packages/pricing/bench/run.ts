// Benchmark of priceModelCall (standalone, not a test):
//   node --conditions=@burnrate/source packages/pricing/bench/run.ts
// Prints ns per call as a markdown table: the first call of the process, a cold call (first time a
// fresh pricer sees a provider/model pair: resolution included) and warm calls (resolution cached).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPricer, type ModelCallPriceInput } from '@burnrate/pricing';

const pairs: [string, string][] = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o-2024-08-06'],
  ['openai', 'o3'],
  ['anthropic', 'claude-sonnet-4-20250514'],
  ['anthropic', 'claude-3-5-haiku-20241022'],
  ['gcp.gen_ai', 'gemini-2.5-pro'],
  ['gcp.vertex_ai', 'publishers/google/models/gemini-2.5-flash'],
  ['aws.bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'],
  ['aws.bedrock', 'apac.amazon.nova-pro-v1:0'],
  ['azure.ai.openai', 'gpt-4o-mini-2024-07-18'],
  ['openrouter', 'anthropic/claude-3.5-sonnet'],
  ['openrouter', 'meta-llama/llama-3.3-70b-instruct'],
  ['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  ['deepseek', 'deepseek-chat'],
  ['mistral_ai', 'mistral-large-latest'],
  ['x_ai', 'grok-3'],
  ['groq', 'llama-3.3-70b-versatile'],
  ['ollama', 'llama3.1:8b'],
];
const calls: ModelCallPriceInput[] = pairs.map(([provider, model]) => ({
  provider,
  model,
  tokens: { input: 12_345, output: 678, cacheRead: 2000, reasoning: 100 },
}));

const now = () => process.hrtime.bigint();
const stats = (ns: number[]) => {
  const s = [...ns].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { mean, p50: s[Math.floor(s.length / 2)], p99: s[Math.floor(s.length * 0.99)] };
};

// First call of the process: loads nothing more (the catalog is already imported) but compiles matchers.
let t = now();
createPricer().priceModelCall(calls[0]);
const first = Number(now() - t);

// Cold: a fresh pricer per round, each pair's first call timed on its own.
const cold: number[] = [];
for (let round = 0; round < 200; round++) {
  const p = createPricer();
  for (const c of calls) {
    t = now();
    p.priceModelCall(c);
    cold.push(Number(now() - t));
  }
}

// Warm: the same pricer, resolutions cached; timed in batches to keep timer overhead out.
const warmPricer = createPricer();
for (const c of calls) warmPricer.priceModelCall(c);
const batch = 10_000;
const warm: number[] = [];
let sink = 0;
for (let rep = 0; rep < 100; rep++) {
  t = now();
  for (let i = 0; i < batch; i++)
    sink += warmPricer.priceModelCall(calls[i % calls.length])?.totalUsd ?? 0;
  warm.push(Number(now() - t) / batch);
}
const priced = calls.filter((c) => c.provider !== 'ollama');
const warmPriced: number[] = [];
for (let rep = 0; rep < 100; rep++) {
  t = now();
  for (let i = 0; i < batch; i++)
    sink += warmPricer.priceModelCall(priced[i % priced.length])?.totalUsd ?? 0;
  warmPriced.push(Number(now() - t) / batch);
}

const row = (name: string, s: { mean: number; p50: number; p99: number }, n: number) =>
  `| ${name} | ${s.mean.toFixed(0)} | ${s.p50.toFixed(0)} | ${s.p99.toFixed(0)} | ${n} |`;
console.log(`priceModelCall, ${pairs.length} provider/model pairs, Node ${process.version}\n`);
console.log('| case | mean ns/op | p50 ns/op | p99 ns/op | samples |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| first call in process | ${first} | ${first} | ${first} | 1 |`);
console.log(row('cold (new pricer, first call per pair)', stats(cold), cold.length));
console.log(
  row(`warm (cached, mixed incl. unpriced; per batch of ${batch})`, stats(warm), warm.length),
);
console.log(
  row(`warm (cached, priced only; per batch of ${batch})`, stats(warmPriced), warmPriced.length),
);
if (sink < 0) console.log(sink);

// A provider's first use, as a service meets it: fresh processes (prepare-tasks.ts), each getting
// one provider ready the way @burnrate/core does at a model call's start, with the event loop
// watched. Goal: no task over 1 ms.
const PROCESSES = 9;
const firstUse: [string, string][] = [
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4-20250514'],
  ['gcp.gen_ai', 'gemini-2.5-pro'],
  ['aws.bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'],
  ['azure.ai.openai', 'gpt-4o-mini-2024-07-18'],
];
const script = fileURLToPath(new URL('prepare-tasks.ts', import.meta.url));
console.log(
  `\nA provider's first use: \`prepare\` (the catalog file read off the thread, then parsed, the model resolved and its cost arithmetic run, each step in a task of its own), as @burnrate/core's warmPricing runs it when a provider's first call starts; ${PROCESSES} fresh processes per pair, a chain of setImmediate probes beside it. Longest task = the most time between two probes (ms):\n`,
);
console.log(
  '| provider / model | longest task, median | longest task, max | until ready, median |',
);
console.log('| --- | ---: | ---: | ---: |');
for (const [provider, model] of firstUse) {
  const runs = Array.from({ length: PROCESSES }, () => {
    const out = execFileSync(
      process.execPath,
      ['--conditions=@burnrate/source', script, provider, model],
      { encoding: 'utf8' },
    );
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
      longestMs: number;
      totalMs: number;
    };
  });
  const longest = runs.map((r) => r.longestMs);
  console.log(
    `| ${provider} / ${model} | ${stats(longest).p50.toFixed(2)} | ${Math.max(...longest).toFixed(2)} | ${stats(runs.map((r) => r.totalMs)).p50.toFixed(1)} |`,
  );
}
