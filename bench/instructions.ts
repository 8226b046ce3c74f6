/**
 * Per-call cost as instructions executed, not CPU time. On this kind of VM one process's CPU per
 * call moves by 10–18 % from the next one's, tens of µs: more than the differences between the
 * instrumentations (bench/paired.ts finds them "not distinguishable"). An instruction count does
 * not move with the machine's load or clock. Each count runs the bench worker under Valgrind's
 * cachegrind (instruction counting only, no cache simulation), with V8 made deterministic:
 * `--single-threaded` (the JIT compiles and the collector marks on the main thread, at the same
 * points every run) and fixed hash and random seeds. The same process counted twice agrees within
 * about 1 %.
 *
 * Per call = (count after W + n2 calls − count after W + n1 calls) / (n2 − n1): start-up, module
 * loading and the W warm-up calls cancel out. Everything the process runs is counted: the JIT's
 * compiles, the collector, the span export, helper threads.
 *
 * What a count is not: the steady state of a service. A window of 1,000 calls holds whatever V8
 * does in it, and V8 keeps doing things long after warm-up: a major collection that changes an
 * allocation site's pretenuring deoptimizes the functions compiled against it (undici's, the
 * SDK's, the OpenTelemetry SDK's; `--trace-deopt`: "dependent allocation site tenuring changed"),
 * which then run in baseline code with inline-cache misses until they are compiled again. One
 * such event in a window moves a variant by 100–200 k instructions a call (callgrind, by
 * function: the optimizing compiler, `Builtins_LoadIC`, `Builtins_*Baseline`), more than the
 * instrumentations differ. So the same window repeats within about 2 %, but another window can
 * read otherwise: compare the variants of one run, and runs of different windows side by side.
 * That churn, different in every process, is also much of the CPU tables' process-to-process
 * noise.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBurnrate } from './build.ts';
import { NO_SPAN } from './openai.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** V8 flags that make a process's instruction count repeat (see above). */
export const DETERMINISTIC_V8 = ['--single-threaded', '--hash-seed=1', '--random-seed=1'];

/** The total of cachegrind's "I refs" line (the instructions the process executed). */
export function parseInstructionCount(valgrindOutput: string): number {
  const m = /I\s+refs:\s+([\d,]+)/.exec(valgrindOutput);
  if (!m) throw new Error('no "I refs" line in the valgrind output');
  return Number(m[1].replaceAll(',', ''));
}

/** One process: the worker in `instructions` mode, one operation, `warmup` then `n` calls. */
export interface Count {
  n: number;
  instructions: number;
}

/** Instructions per call from two counts of the same process with different call counts. */
export function perCall(a: Count, b: Count): number {
  if (a.n === b.n) throw new Error('perCall: the two counts need different call counts');
  return (b.instructions - a.instructions) / (b.n - a.n);
}

/** Whether valgrind runs here (the section says so when it does not). */
function valgrindVersion(): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile('valgrind', ['--version'], (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    ),
  );
}

function countOnce(variant: string, op: string, warmup: number, n: number): Promise<Count> {
  const args = [
    '--tool=cachegrind',
    '--cache-sim=no',
    // V8 writes and rewrites its JIT code: valgrind must re-read it (the default misses that).
    '--smc-check=all-non-file',
    '--cachegrind-out-file=/dev/null',
    process.execPath,
    '--expose-gc',
    ...DETERMINISTIC_V8,
    path.join(here, 'openai-worker.ts'),
    variant,
    'instructions',
  ];
  const env = {
    ...process.env,
    BENCH_FROM: 'dist',
    BENCH_ONLY: op,
    BENCH_WARMUP: String(warmup),
    BENCH_ITERATIONS: String(n),
  };
  return new Promise((resolve, reject) =>
    execFile('valgrind', args, { env, maxBuffer: 64 * 2 ** 20 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${variant} ${op}: ${error.message.split('\n')[0]}`));
      else resolve({ n, instructions: parseInstructionCount(stderr) });
    }),
  );
}

/** Runs `jobs` at most `limit` at a time (one valgrind per core). */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
  return out;
}

interface Operation {
  /** BENCH_ONLY name in the worker. */
  op: string;
  label: string;
  warmup: number;
  n1: number;
  n2: number;
}

const OPERATIONS: Operation[] = [
  { op: 'chat', label: 'chat', warmup: 2000, n1: 200, n2: 1200 },
  { op: 'short', label: '5-chunk stream', warmup: 2000, n1: 200, n2: 1200 },
  { op: 'embeddings', label: 'embeddings', warmup: 2000, n1: 200, n2: 1200 },
  // Its window starts after 1,000 streams. In a window of streams 150–250, V8 was still
  // tiering the stream path up, and that compiling read as Burnrate's per-chunk cost (its
  // TurboFan work was 0.78 M instructions a stream above OpenTelemetry's, its own code's lower).
  // Later windows still hold deopts and recompiles, only fewer (see the header).
  { op: 'stream', label: '100-chunk stream', warmup: 1000, n1: 100, n2: 400 },
];

const VARIANTS = ['bare-v6', 'burnrate-v6', 'otel-v6', 'traceloop-v6'];
/**
 * Each count is made this many times (`BENCH_INSTRUCTION_REPEATS`, default 1): with 2 or more,
 * the table shows how far the repeats spread.
 */
const REPEATS = Math.max(1, Number(process.env.BENCH_INSTRUCTION_REPEATS ?? 1) || 1);

export const OPENAI_INSTRUCTIONS_HEADING =
  '## OpenAI per-call instructions (cachegrind, deterministic V8)';

const k = (x: number) => (x / 1000).toFixed(1);

/** The section: instructions per call and per chunk, every variant in the same run. */
export async function benchInstructions(): Promise<string> {
  const heading = OPENAI_INSTRUCTIONS_HEADING;
  const version = await valgrindVersion();
  if (!version)
    return `${heading}\n\n(not run: valgrind is not installed; Debian: \`apt-get install valgrind\`)\n`;
  buildBurnrate();
  const cells: { o: Operation; v: string; rep: number; n: number }[] = [];
  for (const o of OPERATIONS)
    for (const v of VARIANTS)
      for (let rep = 0; rep < REPEATS; rep++)
        for (const n of [o.n1, o.n2]) cells.push({ o, v, rep, n });
  const counts = await pool(
    cells.map((c) => () => countOnce(c.v, c.o.op, c.o.warmup, c.n)),
    os.availableParallelism(),
  );
  // Per call, per operation and variant: one estimate per repeat.
  const est = new Map<string, number[]>();
  for (let i = 0; i < cells.length; i += 2) {
    const key = `${cells[i].o.op} ${cells[i].v}`;
    est.set(key, [...(est.get(key) ?? []), perCall(counts[i], counts[i + 1])]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const at = (op: string, v: string) => mean(est.get(`${op} ${v}`) ?? []);
  const spread = (op: string, v: string) => {
    const xs = est.get(`${op} ${v}`) ?? [];
    return (Math.max(...xs) - Math.min(...xs)) / mean(xs);
  };

  const lines = [
    heading,
    '',
    `${version}, openai 6, the same worker and span pipelines as the CPU tables. Thousands of instructions per call (all threads), each from ${REPEATS > 1 ? `the mean of ${REPEATS} pairs of processes` : 'one pair of processes'} (W warm-up calls, then n1 or n2 calls: per call = difference ÷ (n2 − n1)); "added" is over the bare client; the last column is Burnrate's added instructions over the lightest peer's. A window's count includes the JIT and collector events that fall in it (deoptimizations after a major collection, recompiles), which move a variant by up to 200 k a call: read the variants of one run against each other (bench/instructions.ts). Per chunk: the 100-chunk stream's added instructions less the 5-chunk stream's, ÷ 95.`,
    '',
    `| operation (W, n1, n2) | ${VARIANTS.map((v) => `${v} k/call`).join(' | ')} | ${VARIANTS.slice(
      1,
    )
      .map((v) => `${v} added k`)
      .join(' | ')} | Burnrate ÷ lightest peer | largest spread between repeats |`,
    `| --- | ${VARIANTS.map(() => '---:').join(' | ')} | ${VARIANTS.slice(1)
      .map(() => '---:')
      .join(' | ')} | ---: | ---: |`,
  ];
  const added = (op: string, v: string) => at(op, v) - at(op, 'bare-v6');
  const ratio = (op: string, burnrate: number, peerAdded: (p: string) => number) => {
    const peers = VARIANTS.slice(2).filter((p) => !NO_SPAN[p]?.includes(op));
    const lightest = Math.min(...peers.map(peerAdded));
    return `${(burnrate / lightest).toFixed(2)}×`;
  };
  for (const o of OPERATIONS) {
    const maxSpread = Math.max(...VARIANTS.map((v) => spread(o.op, v)));
    const spreadCell = REPEATS > 1 ? `${(maxSpread * 100).toFixed(1)} %` : '(one count each)';
    lines.push(
      `| ${o.label} (${o.warmup}, ${o.n1}, ${o.n2}) | ${VARIANTS.map((v) => k(at(o.op, v))).join(' | ')} | ${VARIANTS.slice(
        1,
      )
        .map((v) =>
          NO_SPAN[v]?.includes(o.op) ? `${k(added(o.op, v))} (no span)` : k(added(o.op, v)),
        )
        .join(
          ' | ',
        )} | ${ratio(o.op, added(o.op, 'burnrate-v6'), (p) => added(o.op, p))} | ${spreadCell} |`,
    );
  }
  const perChunk = (v: string) => (added('stream', v) - added('short', v)) / 95;
  lines.push(
    `| per chunk (100-chunk − 5-chunk stream, ÷ 95) | | | | | ${VARIANTS.slice(1)
      .map((v) => k(perChunk(v)))
      .join(' | ')} | ${ratio('stream', perChunk('burnrate-v6'), perChunk)} | |`,
    '',
  );
  return lines.join('\n');
}
