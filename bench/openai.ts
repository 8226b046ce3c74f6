import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Measure {
  wallNs: number;
  cpuNs: number;
  heapBytesPerCall: number;
}
interface Result {
  variant: string;
  version: string;
  call: Measure;
  stream: Measure;
  chunks: number;
  spans: number;
  rssMb: number;
}

function runVariant(variant: string): Result {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--conditions=@burnrate/source', path.join(here, 'openai-worker.ts'), variant],
    { encoding: 'utf8', env: { ...process.env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Result;
}

const us = (ns: number) => (ns / 1000).toFixed(1);

/** The run whose per-call CPU is the median (its stream figures come from the same run). */
function median(results: Result[]): Result {
  const sorted = [...results].sort((a, b) => a.call.cpuNs - b.call.cpuNs);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Per-call and per-chunk overhead of each instrumentation against the bare SDK, in one run. */
export function benchOpenAI(): string {
  const groups: [string, string[]][] = [
    [
      'openai 6.x (every instrumentation supports it)',
      ['bare-v6', 'burnrate-v6', 'otel-v6', 'traceloop-v6'],
    ],
    ['openai 7.x', ['bare-v7', 'burnrate-v7']],
  ];
  const lines: string[] = ['## OpenAI instrumentation overhead', ''];
  for (const [title, variants] of groups) {
    // Interleaved rounds, median per variant: the machine's noise hits every variant alike.
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const runs: Result[][] = variants.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, v] of variants.entries()) runs[i].push(runVariant(v));
    }
    const results = runs.map(median);
    const bare = results[0];
    lines.push(`### ${title} (openai ${bare.version})`, '');
    lines.push(
      '| variant | spans | CPU µs/call | ratio | CPU µs/stream (100 chunks) | extra CPU µs/chunk | ratio | heap B/call | RSS MB |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const r of results) {
      const perChunk = (r.stream.cpuNs - bare.stream.cpuNs) / r.chunks;
      lines.push(
        `| ${r.variant} | ${r.spans} | ${us(r.call.cpuNs)} | ${(r.call.cpuNs / bare.call.cpuNs).toFixed(2)}x | ${us(r.stream.cpuNs)} | ${us(perChunk)} | ${(r.stream.cpuNs / bare.stream.cpuNs).toFixed(2)}x | ${Math.round(r.call.heapBytesPerCall)} | ${r.rssMb.toFixed(0)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Start-up cost of the one import, as a user gets it: the built package (dist, JavaScript), with
 * `node --import @burnrate/auto` against plain node, both importing openai.
 */
export function benchStartup(runs = 10): string {
  const root = path.resolve(here, '..');
  execFileSync(
    process.execPath,
    [path.join(root, 'scripts', 'build.mjs'), '@burnrate/auto', '--with-deps'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  const app = path.join(here, 'startup-app', 'app.mjs');
  const time = (args: string[]) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      execFileSync(process.execPath, [...args, app], {
        env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', NODE_OPTIONS: '' },
        stdio: 'ignore',
      });
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)];
  };
  const plain = time([]);
  const withAuto = time(['--import', '@burnrate/auto']);
  return [
    '## Start-up cost of the one import',
    '',
    '| process (built packages) | median ms | ratio |',
    '| --- | ---: | ---: |',
    `| node + import openai | ${plain.toFixed(0)} | 1.00x |`,
    `| node --import @burnrate/auto + import openai | ${withAuto.toFixed(0)} | ${(withAuto / plain).toFixed(2)}x |`,
    '',
    `(+${(withAuto - plain).toFixed(0)} ms once per process.)`,
    '',
  ].join('\n');
}
