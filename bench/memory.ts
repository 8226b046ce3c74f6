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

export function benchMemory(): string {
  const results = new Map<string, MemoryResult>();
  const capped = new Map<string, MemoryResult>();
  const parse = (out: string) => JSON.parse(out.trim().split('\n').pop() ?? '{}') as MemoryResult;
  for (const [variant] of VARIANTS) {
    results.set(variant, parse(runWorker([variant, 'memory'])));
    // The same 10,000 calls with V8's young generation held at 1 MB a semi-space for every
    // variant: what the instrumentation keeps, without the nursery the bench's call rate grows.
    capped.set(
      variant,
      parse(
        runWorker([variant, 'memory'], {
          nodeFlags: ['--max-semi-space-size=1'],
          env: { BENCH_MEMORY_SHORT: '1' },
        }),
      ),
    );
  }
  const f = (n: number) => n.toFixed(1);
  const lines = [
    '## Memory over a long run (openai 6 and 7)',
    '',
    "A fresh process per variant (bench/openai-memory.ts), Burnrate from its build (what a user installs): 100,000 chat calls, then one stream of 10,000 chunks. RSS after the first 10,000 calls; heap used after a full collection (MB) at each mark. Spans go through a batch processor into a discarding exporter. The capped columns are another fresh process per variant, the same first 10,000 calls with V8's young generation held at 1 MB a semi-space (`--max-semi-space-size=1`): at this bench's call rate the young generation otherwise grows towards its maximum for any variant whose spans wait in a batch queue, and that growth, the same for every instrumentation, is most of the uncapped added RSS.",
    '',
    '| variant | RSS at start | RSS after 10k calls | added RSS over bare | capped: RSS after 10k | capped: added over bare | heap 10k | heap 25k | heap 50k | heap 75k | heap 100k | heap growth 10k→100k | stream heap at chunk 1k / 5k / 10k / ended |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [variant, bareName] of VARIANTS) {
    const r = results.get(variant);
    const bare = results.get(bareName);
    if (!r || !bare) continue;
    const heaps = r.heapByCalls.map(([, h]) => h);
    const added = variant === bareName ? '—' : `+${f(r.rssAfter10kMb - bare.rssAfter10kMb)}`;
    const c = capped.get(variant);
    const cBare = capped.get(bareName);
    const cappedRss = c ? f(c.rssAfter10kMb) : '—';
    const cappedAdded =
      c && cBare && variant !== bareName ? `+${f(c.rssAfter10kMb - cBare.rssAfter10kMb)}` : '—';
    lines.push(
      `| ${variant} | ${f(r.rssStartMb)} | ${f(r.rssAfter10kMb)} | ${added} | ${cappedRss} | ${cappedAdded} | ${heaps.map(f).join(' | ')} | ${f(heaps[heaps.length - 1] - heaps[0])} | ${r.heapByChunks.map(([, h]) => f(h)).join(' / ')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
