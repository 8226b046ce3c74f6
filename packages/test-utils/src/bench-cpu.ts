import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BurnrateSpanProcessor, CostMeter, CostMeterSpanProcessor } from '@burnrate/core';
import { context, type Tracer, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { benchRow } from './bench.ts';
import type { TestTracing } from './tracing.ts';

/**
 * CPU-time comparison for the instrumentation benches (standalone scripts, never timed tests):
 * BENCH_ITERATIONS calls a round (20), BENCH_ROUNDS rounds (101), BENCH_WARMUP calls first (2000),
 * BENCH_ONLY a case-name filter.
 */
export const BENCH_ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
export const BENCH_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 101);
export const BENCH_WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);
/**
 * Warm-up is also capped in time (a vector database's slow calls): 3 s a side. What a service pays
 * per call is the steady state; with 200 calls, the first case of a bench still carried much of
 * the JIT's warm-up (a Mistral row read +141 µs in its first rounds and about +20 µs later).
 */
const BENCH_WARMUP_MS = 3000;
export const BENCH_ONLY = process.env.BENCH_ONLY ?? '';

/** The table every package bench prints (bench/summary.ts reads columns 2 and 3). */
export const CPU_TABLE_HEADER =
  '| operation | plain CPU µs/call | instrumented CPU µs/call | added µs/call | ratio |\n| --- | ---: | ---: | ---: | ---: |';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * CPU time (process.cpuUsage, user + system) per call, plain and instrumented in alternating short
 * rounds (which side goes first alternates too), median of the rounds on each side. CPU time
 * leaves out the time a busy machine keeps the process waiting; short interleaved rounds spread its
 * slow spells over both sides. `setOn` switches the instrumentation between rounds (untimed).
 */
export async function compareCpu(
  plainCall: () => Promise<unknown>,
  traced: () => Promise<unknown>,
  setOn: (on: boolean) => void = () => {},
): Promise<{ plain: number; instrumented: number }> {
  const side = async (on: boolean, into?: number[]) => {
    setOn(on);
    const call = on ? traced : plainCall;
    await call(); // after a switch
    const start = process.cpuUsage();
    const n = into ? BENCH_ITERATIONS : BENCH_WARMUP;
    const until = into ? Number.POSITIVE_INFINITY : performance.now() + BENCH_WARMUP_MS;
    for (let i = 0; i < n && performance.now() < until; i++) await call();
    const used = process.cpuUsage(start);
    into?.push((used.user + used.system) / BENCH_ITERATIONS);
  };
  await side(false);
  await side(true);
  const plain: number[] = [];
  const instrumented: number[] = [];
  for (let r = 0; r < BENCH_ROUNDS; r++) {
    if (r % 2) {
      await side(true, instrumented);
      await side(false, plain);
    } else {
      await side(false, plain);
      await side(true, instrumented);
    }
  }
  return { plain: median(plain), instrumented: median(instrumented) };
}

/**
 * The span pipeline @burnrate/auto composes (pricing and label cap, the cost meter, a batch
 * exporter), exporting nowhere: what the OpenAI bench measures its peers with. (setupTracing()'s
 * per-span in-memory export would be timed too.)
 */
const discarding: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

export function benchTracerProvider(): TracerProvider {
  const exporter = discarding;
  return new TracerProvider({
    spanProcessors: [
      new BurnrateSpanProcessor(),
      new CostMeterSpanProcessor(new CostMeter()),
      new BatchSpanProcessor({ exporter }),
    ],
  });
}

/** Marks a bench row that measures no Burnrate code (bench/summary.ts shows it as a reference). */
export const FLOOR_ROW = '(the floor: a bare span, no Burnrate code)';

let bareTracer: Tracer | undefined;

/**
 * `call` inside a bare span, the floor of any instrumentation's cost on that call: a span of a
 * tracer provider with only a batch processor exporting nowhere (what the OpenAI bench's peers
 * run with), active during the call and ended when it settles. No Burnrate code. Against a real
 * server, what the call allocates decides how much a span held in the export queue costs the
 * garbage collector, so the floor differs per call.
 */
export function inBareSpan(call: () => Promise<unknown>): () => Promise<unknown> {
  bareTracer ??= new TracerProvider({
    spanProcessors: [new BatchSpanProcessor({ exporter: discarding })],
  }).getTracer('bench-floor');
  const tracer = bareTracer;
  return async () => {
    const span = tracer.startSpan('floor');
    try {
      return await context.with(trace.setSpan(context.active(), span), call);
    } finally {
      span.end();
    }
  };
}

/**
 * The bench row of the floor on `name`'s call (`inBareSpan`): plain against the bare span, with
 * the instrumentation off throughout (`setOn(false)` before each round, for a bench that switches
 * patches). Undefined when BENCH_ONLY leaves it out.
 */
export async function floorRow(
  name: string,
  call: () => Promise<unknown>,
  setOn?: (on: boolean) => void,
): Promise<string | undefined> {
  const row = `${name} ${FLOOR_ROW}`;
  if (!row.includes(BENCH_ONLY)) return undefined;
  const off = setOn ? () => setOn(false) : undefined;
  return benchRow(row, await compareCpu(call, inBareSpan(call), off));
}

/**
 * A bench's one-time sanity check, before timing: runs `call` once (the caller has pointed the
 * instrumentation at `tracing.provider`) and fails loudly unless it ended a span priced with
 * `burnrate.cost.usd` > 0, so a bench never times calls that no longer produce a priced span.
 * `unpriced` (the reason) instead requires a span with usage tokens that the catalog leaves
 * unpriced (`burnrate.cost.source` = `unpriced`), for a recorded model the catalog lacks.
 */
export async function assertPricedCall(
  tracing: TestTracing,
  name: string,
  call: () => Promise<unknown>,
  unpriced?: string,
): Promise<void> {
  tracing.reset();
  await call();
  await tracing.provider.forceFlush();
  const spans = tracing.calls();
  tracing.reset();
  const ok = spans.some((s) => {
    const a = s.attributes;
    if (!unpriced) return typeof a['burnrate.cost.usd'] === 'number' && a['burnrate.cost.usd'] > 0;
    return (
      a['burnrate.cost.source'] === 'unpriced' && typeof a['gen_ai.usage.input_tokens'] === 'number'
    );
  });
  if (!ok) {
    const seen = spans
      .map((s) => {
        const a = s.attributes;
        return `${s.name} cost=${String(a['burnrate.cost.usd'])} source=${String(a['burnrate.cost.source'])}`;
      })
      .join(', ');
    const want = unpriced
      ? `no unpriced span with usage (${unpriced})`
      : 'no span priced with burnrate.cost.usd';
    throw new Error(`bench sanity check: "${name}" made ${want}; spans: ${seen || 'none'}`);
  }
}

/**
 * A prices file for a bench, as a user's would be (read once, on first use): written to a temporary
 * folder removed at exit, and named in BURNRATE_PRICES_FILE. Call before the first priced call.
 */
export function useBenchPricesFile(lines: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'burnrate-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'prices.yaml');
  writeFileSync(file, lines.join('\n'));
  process.env.BURNRATE_PRICES_FILE = file;
  return file;
}

/**
 * A framework hook's overhead on one framework run (no network): CPU per run with the hooks off
 * and on, measured as every package bench measures a call (`compareCpu`: BENCH_ITERATIONS runs a
 * round, BENCH_ROUNDS alternating rounds whose order flips, after BENCH_WARMUP runs or 3 s a side),
 * printed as a one-row markdown table under `title`.
 */
export async function benchFrameworkHooks(
  title: string,
  row: string,
  oneRun: () => Promise<unknown>,
  hooks: { enable(): void; disable(): void },
): Promise<void> {
  const result = await compareCpu(oneRun, oneRun, (on) => (on ? hooks.enable() : hooks.disable()));
  console.log(
    `| ${title} | hooks off (CPU µs/run) | hooks on (CPU µs/run) | added µs/run | ratio |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(benchRow(row, result));
}
