/**
 * Memory of each instrumentation over a long run, side by side (openai-memory.ts does the
 * calls): RSS after 10,000 chat calls, the heap after a full collection at 10k…100k calls (flat =
 * nothing kept per call), and the heap while one 10,000-chunk stream is read.
 */

import { runWorker } from './openai.ts';
import type { MemoryResult } from './openai-memory.ts';

const VARIANTS: [string, string][] = [
  ['bare-v6', 'bare-v6'],
  ['burnrate-v6', 'bare-v6'],
  ['otel-v6', 'bare-v6'],
  ['traceloop-v6', 'bare-v6'],
  ['bare-v7', 'bare-v7'],
  ['burnrate-v7', 'bare-v7'],
];

/**
 * Fresh capped processes per variant, interleaved, and the median of each variant's RSS. On a busy
 * machine one process varies by up to ±5 MB (on a quiet one within 2–3 MB).
 */
const CAPPED_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 7);

/**
 * The capped runs: with V8's defaults, and with its mid-tier compiler (Maglev) off. Maglev's
 * memory outside the JS heap is most of what an instrumentation adds over bare (see RESULTS.md):
 * the second run shows what the instrumentation itself keeps.
 */
const CAPPED_RUNS = [
  { key: 'default', flags: ['--max-semi-space-size=1'], env: {} },
  { key: 'no-maglev', flags: ['--max-semi-space-size=1', '--no-maglev'], env: {} },
  // As a service that starts, then idles before its traffic: 1.5 s between start-up and the calls.
  { key: 'idle', flags: ['--max-semi-space-size=1'], env: { BENCH_MEMORY_IDLE_MS: '1500' } },
] as const;

/** A worker's result: the last line it printed. */
const parse = (out: string) => JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemoryResult;

/** Every capped process's RSS and V8 malloc'd peak after 10,000 calls, by `<run> <variant>`. */
function cappedRss(): { rss: Map<string, number[]>; peak: Map<string, number[]> } {
  const rss = new Map<string, number[]>();
  const peak = new Map<string, number[]>();
  for (let round = 0; round < CAPPED_ROUNDS; round++) {
    for (const run of CAPPED_RUNS) {
      for (const [variant] of VARIANTS) {
        const r = parse(
          runWorker([variant, 'memory'], {
            nodeFlags: [...run.flags],
            env: { BENCH_MEMORY_SHORT: '1', ...run.env },
          }),
        );
        const key = `${run.key} ${variant}`;
        rss.set(key, [...(rss.get(key) ?? []), r.rssAfter10kMb]);
        peak.set(key, [...(peak.get(key) ?? []), r.v8MallocedMb?.peak ?? Number.NaN]);
      }
    }
  }
  return { rss, peak };
}

export function benchMemory(): string {
  const results = new Map<string, MemoryResult>();
  for (const [variant] of VARIANTS) results.set(variant, parse(runWorker([variant, 'memory'])));
  // The same 10,000 calls with V8's young generation held at 1 MB a semi-space for every
  // variant: what the instrumentation keeps, without the nursery the bench's call rate grows.
  const { rss: capped, peak } = cappedRss();
  const median = (key: string, from = capped) => {
    const all = [...(from.get(key) ?? [])].sort((a, b) => a - b);
    return all.length ? all[Math.floor(all.length / 2)] : undefined;
  };
  const f = (n: number) => n.toFixed(1);
  const lines = [
    '## Memory over a long run (openai 6 and 7)',
    '',
    "A fresh process per variant (bench/openai-memory.ts), Burnrate from its build (what a user installs): 100,000 chat calls, then one stream of 10,000 chunks. RSS after the first 10,000 calls; heap used after a full collection (MB) at each mark. Spans go through a batch processor into a discarding exporter. The capped columns are another fresh process per variant, the same first 10,000 calls with V8's young generation held at 1 MB a semi-space (`--max-semi-space-size=1`), " +
      CAPPED_ROUNDS +
      " fresh processes per variant, interleaved: the median, and the lowest–highest in brackets. At this bench's call rate the young generation otherwise grows towards its maximum for any variant whose spans wait in a batch queue, and that growth, the same for every instrumentation, is most of the uncapped added RSS. The next two columns are the same capped run with V8's mid-tier compiler off (`--no-maglev`): what separates the instrumentations is mostly Maglev's. Then the same capped run in a process that first idles 1.5 s after start-up, as a service that starts before its traffic arrives: V8's memory reducer runs in that pause, and Burnrate's start-up warm-up. The column after them is V8's own malloc'd memory at its peak (`peak_malloced_memory`, capped run with V8's defaults, median): mostly the optimizing compilers' zones. Every function that turns hot queues a Maglev job that holds about 50–70 KB until it is done; during the warm-up (calls 300–1,000 here) a burst of them is in flight at once, and glibc keeps the pages that peak touched resident after they are freed.",
    '',
    '| variant | RSS at start | RSS after 10k calls | added RSS over bare | capped: RSS after 10k (median, range) | capped: added over bare | capped, no Maglev: RSS after 10k | capped, no Maglev: added over bare | capped, idle 1.5 s first: RSS after 10k | capped, idle 1.5 s first: added over bare | capped: V8 malloced peak MB | heap 10k | heap 25k | heap 50k | heap 75k | heap 100k | heap growth 10k→100k | stream heap at chunk 1k / 5k / 10k / ended |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [variant, bareName] of VARIANTS) {
    const r = results.get(variant);
    const bare = results.get(bareName);
    if (!r || !bare) continue;
    const heaps = r.heapByCalls.map(([, h]) => h);
    const added = variant === bareName ? '—' : `+${f(r.rssAfter10kMb - bare.rssAfter10kMb)}`;
    const cells = CAPPED_RUNS.map(({ key }) => {
      const c = median(`${key} ${variant}`);
      const cBare = median(`${key} ${bareName}`);
      const all = capped.get(`${key} ${variant}`) ?? [];
      const rss = c === undefined ? '—' : `${f(c)} (${f(Math.min(...all))}–${f(Math.max(...all))})`;
      const over =
        c !== undefined && cBare !== undefined && variant !== bareName ? `+${f(c - cBare)}` : '—';
      return `${rss} | ${over}`;
    });
    lines.push(
      `| ${variant} | ${f(r.rssStartMb)} | ${f(r.rssAfter10kMb)} | ${added} | ${cells.join(' | ')} | ${f(median(`default ${variant}`, peak) ?? Number.NaN)} | ${heaps.map(f).join(' | ')} | ${f(heaps[heaps.length - 1] - heaps[0])} | ${r.heapByChunks.map(([, h]) => f(h)).join(' / ')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
