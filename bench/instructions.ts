/**
 * Per-call cost as instructions executed, not CPU time. On this kind of VM one process's CPU per
 * call moves by 10–18 % from the next one's, tens of µs: more than the differences between the
 * instrumentations (bench/paired.ts finds them "not distinguishable"). An instruction count does
 * not move with the machine's load or clock. Each count runs the bench worker under Valgrind's
 * callgrind (instructions by function), with V8 made deterministic: `--single-threaded` (the JIT
 * compiles and the collector marks on the main thread, at the same points every run) and fixed
 * hash and random seeds. The same process counted twice agrees within about 1 %. V8 writes a perf
 * map beside the profile, so the instructions of the JIT's code go to the package they were
 * written in (bench/callgrind.ts): the table by owner separates what the instrumentation's own
 * code runs from what V8 runs around it, which is what moves between windows (below). The map's
 * own logging is counted apart and left out of the totals.
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
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBurnrate } from './build.ts';
import { costsByOwner, OWNER_LABELS, OWNERS, type Owner } from './callgrind.ts';
import { NO_SPAN } from './openai.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** V8 flags that make a process's instruction count repeat (see above). */
export const DETERMINISTIC_V8 = ['--single-threaded', '--hash-seed=1', '--random-seed=1'];

/** One process: the worker in `instructions` mode, one operation, `warmup` then `n` calls. */
export interface Count {
  n: number;
  instructions: number;
  /** The same instructions by whose code ran them (bench/callgrind.ts). */
  owners: Record<Owner, number>;
}

/** Instructions per call from two counts of the same process with different call counts. */
export function perCall(a: Count, b: Count): number {
  if (a.n === b.n) throw new Error('perCall: the two counts need different call counts');
  return (b.instructions - a.instructions) / (b.n - a.n);
}

/** `perCall` for each owner. */
export function perCallByOwner(a: Count, b: Count): Record<Owner, number> {
  if (a.n === b.n) throw new Error('perCall: the two counts need different call counts');
  const out = {} as Record<Owner, number>;
  for (const o of OWNERS) out[o] = (b.owners[o] - a.owners[o]) / (b.n - a.n);
  return out;
}

/** Whether valgrind runs here (the section says so when it does not). */
function valgrindVersion(): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile('valgrind', ['--version'], (error, stdout) =>
      resolve(error ? undefined : stdout.trim()),
    ),
  );
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env, maxBuffer: 64 * 2 ** 20 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

/**
 * One count: the worker under callgrind (which counts what cachegrind counts, and by function),
 * with V8 writing its perf map beside the profile to name the JIT's code.
 */
async function countOnce(variant: string, op: string, warmup: number, n: number): Promise<Count> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'burnrate-callgrind-'));
  const out = path.join(dir, 'callgrind.out');
  const args = [
    '--tool=callgrind',
    // V8 writes and rewrites its JIT code: valgrind must re-read it (the default misses that).
    '--smc-check=all-non-file',
    `--callgrind-out-file=${out}`,
    process.execPath,
    '--expose-gc',
    ...DETERMINISTIC_V8,
    '--perf-basic-prof',
    `--perf-basic-prof-path=${dir}`,
    // Code is not moved, so an address names one function (a freed one's may be reused).
    '--no-compact-code-space',
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
  try {
    await run('valgrind', args, env).catch((error: Error) => {
      throw new Error(`${variant} ${op}: ${error.message.split('\n')[0]}`);
    });
    const profile = await readFile(out, 'utf8');
    const pid = /^pid: (\d+)$/m.exec(profile)?.[1];
    const perfMap = await readFile(path.join(dir, `perf-${pid}.map`), 'utf8');
    const { total, ...owners } = costsByOwner(profile, perfMap);
    // Without the profile's own logging, as the process runs when it is not profiled.
    return { n, instructions: total - owners.profiler, owners };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  '## OpenAI per-call instructions (callgrind, deterministic V8)';

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
  const estByOwner = new Map<string, Record<Owner, number>[]>();
  for (let i = 0; i < cells.length; i += 2) {
    const key = `${cells[i].o.op} ${cells[i].v}`;
    est.set(key, [...(est.get(key) ?? []), perCall(counts[i], counts[i + 1])]);
    estByOwner.set(key, [...(estByOwner.get(key) ?? []), perCallByOwner(counts[i], counts[i + 1])]);
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
    ...ownerTable((op, v) => {
      const xs = estByOwner.get(`${op} ${v}`) ?? [];
      const out = {} as Record<Owner, number>;
      for (const o of OWNERS) out[o] = mean(xs.map((x) => x[o]));
      return out;
    }),
  );
  return lines.join('\n');
}

/**
 * The same counts by whose code ran them: per call for each operation, and per chunk (the
 * 100-chunk stream less the 5-chunk one, ÷ 95), every variant with its own total.
 */
function ownerTable(at: (op: string, variant: string) => Record<Owner, number>): string[] {
  const lines = [
    "By whose code ran them (callgrind's self cost by function; the JIT's code named by V8's perf map, `--perf-basic-prof`, and given to the package of its file). A function's own instructions only: the builtins it calls (an inline-cache miss, a Map lookup, a promise's machinery) are in the runtime column, and recompiling after a deoptimization in the compiler column, whoever caused them. Thousands of instructions per call (per chunk: the 100-chunk stream less the 5-chunk one, ÷ 95):",
    '',
    `| operation | variant | ${OWNERS.map((o) => OWNER_LABELS[o]).join(' | ')} | total, the profile's logging left out |`,
    `| --- | --- | ${OWNERS.map(() => '---:').join(' | ')} | ---: |`,
  ];
  const row = (label: string, v: string, owners: Record<Owner, number>, digits: number) => {
    const total = OWNERS.reduce((sum, o) => (o === 'profiler' ? sum : sum + owners[o]), 0);
    const f = (x: number) => (x / 1000).toFixed(digits);
    lines.push(
      `| ${label} | ${v} | ${OWNERS.map((o) => f(owners[o])).join(' | ')} | ${f(total)} |`,
    );
  };
  for (const o of OPERATIONS.filter((x) => x.op !== 'stream'))
    for (const v of VARIANTS) row(o.label, v, at(o.op, v), 1);
  for (const v of VARIANTS) {
    const long = at('stream', v);
    const short = at('short', v);
    const chunk = {} as Record<Owner, number>;
    for (const o of OWNERS) chunk[o] = (long[o] - short[o]) / 95;
    row('per chunk', v, chunk, 2);
  }
  lines.push('');
  return lines;
}
