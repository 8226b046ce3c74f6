import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBurnrate } from './build.ts';
import { type EarlyEndResult, earlyEndTable } from './openai-early-end.ts';
import { pairedTable } from './paired.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Measure {
  wallNs: number;
  cpuNs: number;
  heapBytesPerCall: number;
  /** Bytes allocated per call (sampled; collected objects included). */
  allocBytesPerCall: number;
}
interface Result {
  variant: string;
  version: string;
  call: Measure;
  stream: Measure;
  shortStream: Measure;
  embeddings: Measure;
  chunks: number;
  spans: number;
  rssMb: number;
}

/** One worker run, Burnrate from its build (bench/build.ts): what a user installs. */
export function runWorker(
  args: string[],
  options: { nodeFlags?: string[]; env?: Record<string, string> } = {},
): string {
  buildBurnrate();
  return execFileSync(
    process.execPath,
    ['--expose-gc', ...(options.nodeFlags ?? []), path.join(here, 'openai-worker.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, BENCH_FROM: 'dist', ...options.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

function runVariant(variant: string): Result {
  return JSON.parse(runWorker([variant]).trim().split('\n').pop() ?? '{}') as Result;
}

/** Burnrate's early-end run with its start-up warm-up off (warm-up.ts): the row it is read against. */
const NO_WARM_UP = 'burnrate-v6 (no warm-up)';

function runEarlyEnd(variant: string): EarlyEndResult {
  const off = variant === NO_WARM_UP;
  return JSON.parse(
    runWorker([off ? 'burnrate-v6' : variant, 'early-end'], {
      env: off ? { BENCH_NO_WARM_UP: '1' } : {},
    })
      .trim()
      .split('\n')
      .pop() ?? '{}',
  ) as EarlyEndResult;
}

const us = (ns: number) => (ns / 1000).toFixed(1);

/** The run whose per-call CPU is the median (its stream figures come from the same run). */
function median(results: Result[]): Result {
  const sorted = [...results].sort((a, b) => a.call.cpuNs - b.call.cpuNs);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Operations a peer makes no span for (its added CPU there is not an instrumentation's cost):
 * Traceloop's instrumentation-openai does not trace embeddings (its span count shows it: 10,100 of
 * 14,400).
 */
export const NO_SPAN: Record<string, string[]> = { 'traceloop-v6': ['embeddings'] };

/**
 * What Burnrate's span processors add to OpenTelemetry's own openai spans (pricing, labels, the
 * cost meter), per operation, set by benchOpenAI: held to the same budget as an instrumentation.
 */
export const processorCost: { operation: string; added: number }[] = [];

/** The lightest peer's added CPU µs per operation (chat, stream, embeddings), set by benchOpenAI. */
export const peerBudget: Record<string, { us: number; peer: string }> = {};

/** Per-call and per-chunk overhead of each instrumentation against the bare SDK, in one run. */
export function benchOpenAI(): string {
  const groups: [string, string[]][] = [
    [
      'openai 6.x (every instrumentation supports it)',
      ['bare-v6', 'burnrate-v6', 'otel-v6', 'traceloop-v6', 'otel-priced-v6'],
    ],
    ['openai 7.x', ['bare-v7', 'burnrate-v7']],
  ];
  const lines: string[] = ['## OpenAI instrumentation overhead', ''];
  for (const [title, variants] of groups) {
    // Interleaved rounds, median per variant: the machine's noise hits every variant alike. With 11
    // rounds, the paired intervals below (paired.ts) leave out the most extreme round on each side.
    const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
    const runs: Result[][] = variants.map(() => []);
    const earlyVariants = variants.includes('burnrate-v6') ? [...variants, NO_WARM_UP] : variants;
    const early: EarlyEndResult[][] = earlyVariants.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, v] of variants.entries()) runs[i].push(runVariant(v));
      for (const [i, v] of earlyVariants.entries()) early[i].push(runEarlyEnd(v));
    }
    const results = runs.map(median);
    const bare = results[0];
    lines.push(`### ${title} (openai ${bare.version})`, '');
    lines.push(
      '| variant | spans | CPU µs/call | ratio | CPU µs/stream (100 chunks) | extra CPU µs/chunk | ratio | alloc B/call | RSS MB |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const r of results) {
      const perChunk = (r.stream.cpuNs - bare.stream.cpuNs) / r.chunks;
      lines.push(
        `| ${r.variant} | ${r.spans} | ${us(r.call.cpuNs)} | ${(r.call.cpuNs / bare.call.cpuNs).toFixed(2)}x | ${us(r.stream.cpuNs)} | ${us(perChunk)} | ${(r.stream.cpuNs / bare.stream.cpuNs).toFixed(2)}x | ${Math.round(r.call.allocBytesPerCall)} | ${r.rssMb.toFixed(0)} |`,
      );
    }
    lines.push('');
    // Added CPU and allocation per call over the bare SDK, per operation; medians per cell.
    const med = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const added = (i: number, pick: (r: Result) => Measure, what: 'cpuNs' | 'allocBytesPerCall') =>
      med(runs[i].map((r) => pick(r)[what])) - med(runs[0].map((r) => pick(r)[what]));
    const ops: [string, (r: Result) => Measure][] = [
      ['chat', (r) => r.call],
      [`stream (5 chunks)`, (r) => r.shortStream],
      ['embeddings', (r) => r.embeddings],
    ];
    lines.push(
      `Added per call over bare (median of ${rounds} interleaved rounds, each measured after 2,000 warm-up calls of its operation, or 3 s of them: the steady state; alloc = bytes allocated per call, from V8's sampling heap profiler, collected objects included):`,
      '',
      `| variant | ${ops.map(([o]) => `${o} +CPU µs`).join(' | ')} | ${ops.map(([o]) => `${o} +alloc B`).join(' | ')} |`,
      `| --- | ${ops.map(() => '---:').join(' | ')} | ${ops.map(() => '---:').join(' | ')} |`,
    );
    // Burnrate's span processor on another instrumentation's spans: otel-priced − otel.
    const otel = variants.indexOf('otel-v6');
    const priced = variants.indexOf('otel-priced-v6');
    if (otel > 0 && priced > 0)
      for (const [op, f] of ops)
        processorCost.push({
          operation: op,
          added: (added(priced, f, 'cpuNs') - added(otel, f, 'cpuNs')) / 1000,
        });
    for (let i = 1; i < variants.length; i++) {
      // The lightest peer's added CPU per operation: the budget every instrumentation is held to.
      if (
        variants[i] !== 'burnrate-v6' &&
        variants[i].endsWith('-v6') &&
        !variants[i].includes('priced')
      ) {
        for (const [op, f] of ops) {
          const v = added(i, f, 'cpuNs') / 1000;
          const kind = op.startsWith('stream') ? 'stream' : op;
          if (NO_SPAN[variants[i]]?.includes(kind)) continue; // nothing recorded: no budget
          if (v > 0 && (peerBudget[kind] === undefined || v < peerBudget[kind].us))
            peerBudget[kind] = { us: v, peer: variants[i] };
        }
      }
      lines.push(
        `| ${variants[i]} | ${ops.map(([, f]) => us(added(i, f, 'cpuNs'))).join(' | ')} | ${ops.map(([, f]) => Math.round(added(i, f, 'allocBytesPerCall'))).join(' | ')} |`,
      );
    }
    lines.push('');
    // Burnrate against each peer within each round (paired.ts): does the difference stand out of
    // the process-to-process noise?
    const burnrate = variants.indexOf('burnrate-v6');
    const peers = variants.filter(
      (v) =>
        v.endsWith('-v6') &&
        !v.startsWith('bare') &&
        !v.startsWith('burnrate') &&
        !v.includes('priced'),
    );
    if (burnrate > 0 && peers.length > 0) {
      const perChunk = (r: Result) => r.stream.cpuNs / r.chunks / 1000;
      lines.push(
        `Burnrate against each peer, round by round (each round's processes run one after the other; the difference is taken within the round, then the median over the ${rounds} rounds, with its distribution-free interval: bench/paired.ts). Negative = Burnrate used less CPU. A verdict is lighter or heavier only when the whole interval is on that side of zero:`,
        '',
        ...pairedTable(
          { burnrate: runs[burnrate], peers: peers.map((p) => [p, runs[variants.indexOf(p)]]) },
          [
            ['chat, CPU µs per call', (r) => r.call.cpuNs / 1000],
            ['5-chunk stream, CPU µs per call', (r) => r.shortStream.cpuNs / 1000],
            ['embeddings, CPU µs per call', (r) => r.embeddings.cpuNs / 1000],
            ['100-chunk stream, CPU µs per chunk (the stream ÷ 100)', perChunk],
          ],
          (peer, measure) =>
            !(measure.startsWith('embeddings') && NO_SPAN[peer]?.includes('embeddings')),
        ),
        '',
      );
    }
    lines.push(...earlyEndTable(earlyVariants, early));
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Where Burnrate's per-call CPU goes: a CPU profile of the bench worker (openai 6, Burnrate with
 * its processors as @burnrate/auto composes them), one per operation, broken down by part of the
 * call path (bench/profile-breakdown.ts). The profiler's sampling inflates every figure alike:
 * read the shares, and the µs as relative sizes.
 */
export function benchProfile(): string {
  const lines = [
    "## Where Burnrate's per-call CPU goes (openai 6, CPU profile)",
    '',
    "`node --cpu-prof --cpu-prof-interval 50 bench/openai-worker.ts burnrate-v6` with `BENCH_ONLY=<operation>`, read by `bench/profile-breakdown.ts`: every sample goes to the innermost Burnrate frame on its stack (OpenTelemetry SDK work a Burnrate frame calls counts to it; the openai SDK's own work does not). Sampling inflates the µs; compare shares.",
    '',
  ];
  const iterations = 3000;
  for (const [only, title] of [
    ['chat', 'chat completion'],
    ['short', 'stream (5 chunks)'],
    ['embeddings', 'embeddings'],
  ] as const) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-prof-'));
    try {
      execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--conditions=@burnrate/source',
          '--cpu-prof',
          `--cpu-prof-dir=${dir}`,
          '--cpu-prof-interval',
          '50',
          path.join(here, 'openai-worker.ts'),
          'burnrate-v6',
        ],
        {
          env: { ...process.env, BENCH_ONLY: only, BENCH_ITERATIONS: String(iterations) },
          stdio: 'ignore',
        },
      );
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) continue;
      const table = execFileSync(
        process.execPath,
        [path.join(here, 'profile-breakdown.ts'), path.join(dir, file), String(iterations + 300)],
        { encoding: 'utf8' },
      );
      lines.push(`### ${title}`, '', table.trim(), '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines.join('\n');
}
