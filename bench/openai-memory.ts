import { getHeapStatistics } from 'node:v8';

/**
 * The worker's `memory` mode (openai-worker.ts): a fresh process per variant that makes 100,000
 * chat calls and then reads one 10,000-chunk stream, writing down the heap (after a full
 * collection) as it goes, and the process's RSS after the first 10,000 calls.
 */

export const LONG_STREAM_CHUNKS = 10_000;

interface Client {
  chat: {
    completions: {
      create(body: object): Promise<AsyncIterable<unknown> & object>;
    };
  };
}

export interface MemoryResult {
  variant: string;
  rssStartMb: number;
  rssAfter10kMb: number;
  memoryAt10k?: NodeJS.MemoryUsage;
  /**
   * V8's own malloc'd memory at 10,000 calls, now and at its peak (MB): mostly the optimizing
   * compilers' zones. A compile job holds its zone until the main thread finalizes it, and glibc
   * keeps what a peak of jobs in flight touched resident, so RSS follows the peak.
   */
  v8MallocedMb?: { now: number; peak: number };
  /** Heap used (MB, after gc) after this many calls. */
  heapByCalls: [number, number][];
  /** Heap used (MB, after gc) after this many chunks of one stream, and after it ended. */
  heapByChunks: [number | 'end', number][];
  spans: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const mb = (bytes: number) => bytes / 2 ** 20;

export async function memoryRun(
  variant: string,
  client: Client,
  flush: () => Promise<void>,
  spans: () => number,
): Promise<MemoryResult> {
  const messages = [{ role: 'user', content: 'Say hello' }];
  const call = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  // BENCH_MEMORY_IDLE_MS: the process first idles that long, as a service that starts before its
  // traffic arrives (V8's memory reducer runs in such a pause; Burnrate's start-up warm-up too).
  const idle = Number(process.env.BENCH_MEMORY_IDLE_MS ?? 0);
  if (idle > 0) await new Promise((r) => setTimeout(r, idle));
  await flush();
  gc();
  const rssStartMb = mb(process.memoryUsage().rss);
  // BENCH_MEMORY_SHORT=1: only the first 10,000 calls and no long stream (RSS with a capped young
  // generation, bench/memory.ts).
  const short = process.env.BENCH_MEMORY_SHORT === '1';
  const marks = short ? [10_000] : [10_000, 25_000, 50_000, 75_000, 100_000];
  const heapByCalls: [number, number][] = [];
  let rssAfter10kMb = 0;
  let memoryAt10k: NodeJS.MemoryUsage | undefined;
  let v8MallocedMb: MemoryResult['v8MallocedMb'];
  for (let done = 0; done < marks[marks.length - 1]; ) {
    await call();
    done++;
    if (marks.includes(done)) {
      await flush();
      gc();
      heapByCalls.push([done, mb(process.memoryUsage().heapUsed)]);
      if (done === 10_000) {
        rssAfter10kMb = mb(process.memoryUsage().rss);
        memoryAt10k = process.memoryUsage();
        const v8Heap = getHeapStatistics();
        v8MallocedMb = { now: mb(v8Heap.malloced_memory), peak: mb(v8Heap.peak_malloced_memory) };
      }
    }
  }
  const heapByChunks = short ? [] : await longStream(client, flush);
  return {
    variant,
    rssStartMb,
    rssAfter10kMb,
    memoryAt10k,
    v8MallocedMb,
    heapByCalls,
    heapByChunks,
    spans: spans(),
  };
}

/** Heap used (MB, after gc) while one 10,000-chunk stream is read, and after it ended. */
async function longStream(
  client: Client,
  flush: () => Promise<void>,
): Promise<[number | 'end', number][]> {
  const heapByChunks: [number | 'end', number][] = [];
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
    max_tokens: LONG_STREAM_CHUNKS,
  });
  let n = 0;
  for await (const _ of stream) {
    n++;
    if (n === 1_000 || n === 5_000 || n === LONG_STREAM_CHUNKS) {
      gc();
      heapByChunks.push([n, mb(process.memoryUsage().heapUsed)]);
    }
  }
  await flush();
  gc();
  heapByChunks.push(['end', mb(process.memoryUsage().heapUsed)]);
  return heapByChunks;
}

/** An SSE body of `chunks` content chunks and a usage chunk. */
export function longSse(base: object, chunks: number): string {
  const parts: string[] = [];
  for (let i = 0; i < chunks; i++)
    parts.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`,
    );
  parts.push(
    `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 20, completion_tokens: chunks, total_tokens: chunks + 20 } })}\n\n`,
  );
  parts.push('data: [DONE]\n\n');
  return parts.join('');
}
