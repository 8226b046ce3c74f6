import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';

/**
 * The worker's `early-end` mode (openai-worker.ts), in a fresh process: 50 streams whose server
 * sends no usage, each ended by `break` after 2 chunks (the stream that used to load a tokenizer
 * inside the caller's `break`), and how the event loop fares from the first break on.
 *
 * Every variant is watched for the same window: from the first break to 2 s after it (longer only
 * while spans are still waiting for a local count, reported as `windowMs`), so that a percentile
 * of one variant is read over as many ticks as another's. The delay is sampled by hand, as how
 * late a chain of 1 ms timers fires (monitorEventLoopDelay misses a block inside a synchronous
 * require(): Node 24 reported 1 ms around a 130 ms tokenizer load). A late timer means one of:
 * - this thread waited for a core while other threads ran (a worker, V8's helper threads), read
 *   per thread from Linux's /proc/self/task/<tid>/schedstat and subtracted (`waitedMs`);
 * - a garbage collection paused this thread (the main thread's `gc` performance entries), which
 *   any allocating code triggers, the uninstrumented client's too;
 * - code ran on the event loop: what is left, `outsideGc`, is what a code path blocked.
 * BENCH_TICKS=1 prints each tick blocked over 1 ms outside GC, with its hrtime span (µs), to find
 * it in a `--cpu-prof` profile.
 */

export const EARLY_END_STREAMS = 50;
const WINDOW_MS = 2000;

interface Client {
  chat: { completions: { create(body: object): Promise<AsyncIterable<unknown> & object> } };
}

export interface EarlyEndResult {
  variant: string;
  spans: number;
  firstBreakMs: number;
  maxBreakMs: number;
  /** monitorEventLoopDelay over the whole run. */
  delay: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Lateness of the 1 ms timer chain within the window. */
  late: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Length of the window and its ticks. */
  windowMs: number;
  ticks: number;
  /** Linux only: lateness less the wait for a core, and of that what no GC pause explains. */
  blocked?: {
    p99Ms: number;
    maxMs: number;
    over1Ms: number;
    outsideGcMaxMs: number;
    outsideGcOver1Ms: number;
    waitedMs: number;
  };
  /** The main thread's longest GC pause within the window. */
  gcMaxMs: number;
  /** The first span's processors, from the first one's onEnding to the last one's onEnd. */
  firstSpanEndMs?: number;
}

/** The thread's [ms run, ms waited for a core] from schedstat, or undefined off Linux. */
function schedstat(): [number, number] | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return [Number(run) / 1e6, Number(wait) / 1e6];
  } catch {
    return undefined;
  }
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

interface Tick {
  from: number;
  at: number;
  late: number;
  waited: number | undefined;
}

export async function earlyEndRun(
  variant: string,
  client: Client,
  flush: () => Promise<void>,
  spans: () => number,
): Promise<EarlyEndResult> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  await new Promise((r) => setTimeout(r, 200));
  histogram.enable();
  const pauses: [number, number][] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.startTime + e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });

  const ticks: Tick[] = [];
  const breaks: number[] = [];
  let firstBreakAt = Number.POSITIVE_INFINITY;
  let ticking = true;
  let last = performance.now();
  let lastSched = schedstat();
  const tick = () => {
    const now = performance.now();
    const s = schedstat();
    // Ticks that began after the first break (the one in flight then also timed the first call's
    // module loading, for every variant; the breaks themselves are timed on their own).
    if (last >= firstBreakAt) {
      ticks.push({
        from: last,
        at: now,
        late: Math.max(0, now - last - 1),
        waited: s && lastSched ? s[1] - lastSched[1] : undefined,
      });
    }
    last = now;
    lastSched = s;
    if (ticking) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);

  for (let i = 0; i < EARLY_END_STREAMS; i++) {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    let n = 0;
    let t0 = 0;
    for await (const _ of stream) {
      if (++n === 2) {
        t0 = performance.now();
        break;
      }
    }
    const took = performance.now() - t0;
    if (i === 0) firstBreakAt = t0;
    breaks.push(took);
    await new Promise((r) => setImmediate(r));
  }
  // Spans still waiting for a local count end within the count's bounded wait (6 s at most).
  for (let i = 0; i < 300 && spans() < EARLY_END_STREAMS && !variant.startsWith('bare'); i++) {
    await flush();
    if (spans() >= EARLY_END_STREAMS) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const allEnded = spans() >= EARLY_END_STREAMS;
  const windowEnd = Math.max(firstBreakAt + WINDOW_MS, allEnded ? performance.now() : 0);
  while (performance.now() < windowEnd) await new Promise((r) => setTimeout(r, 20));
  ticking = false;
  histogram.disable();
  // GC entries arrive in a later task.
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();

  const inWindow = ticks.filter((t) => t.at <= windowEnd);
  const gcWithin = (from: number, to: number) =>
    pauses.reduce((sum, [s, e]) => sum + Math.max(0, Math.min(e, to) - Math.max(s, from)), 0);
  const late = inWindow.map((t) => t.late).sort((a, b) => a - b);
  const linux = inWindow.every((t) => t.waited !== undefined);
  const blocked = inWindow.map((t) => Math.max(0, t.late - (t.waited ?? 0))).sort((a, b) => a - b);
  const outsideGc = inWindow.map((t) =>
    Math.max(0, t.late - (t.waited ?? 0) - gcWithin(t.from, t.at)),
  );
  const hrOffset = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
  if (process.env.BENCH_TICKS) {
    for (const [i, t] of inWindow.entries())
      if (outsideGc[i] > 1)
        console.error(
          `tick +${(t.from - firstBreakAt).toFixed(1)} ms: ${outsideGc[i].toFixed(2)} ms hr ${Math.round(hrOffset + t.from * 1000)} ${Math.round(hrOffset + t.at * 1000)}`,
        );
  }
  const windowPauses = pauses.filter(([s]) => s >= firstBreakAt && s <= windowEnd);
  return {
    variant,
    spans: spans(),
    firstBreakMs: breaks[0],
    maxBreakMs: Math.max(...breaks),
    delay: {
      p50Ms: histogram.percentile(50) / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      maxMs: histogram.max / 1e6,
    },
    late: { p50Ms: quantile(late, 0.5), p99Ms: quantile(late, 0.99), maxMs: late.at(-1) ?? 0 },
    windowMs: windowEnd - firstBreakAt,
    ticks: inWindow.length,
    blocked: linux
      ? {
          p99Ms: quantile(blocked, 0.99),
          maxMs: blocked.at(-1) ?? 0,
          over1Ms: blocked.filter((b) => b > 1).length,
          outsideGcMaxMs: Math.max(0, ...outsideGc),
          outsideGcOver1Ms: outsideGc.filter((b) => b > 1).length,
          waitedMs: inWindow.reduce((sum, t) => sum + (t.waited ?? 0), 0),
        }
      : undefined,
    gcMaxMs: Math.max(0, ...windowPauses.map(([s, e]) => e - s)),
  };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (digits: number) => (v: number) => (Number.isNaN(v) ? '—' : v.toFixed(digits));

/** The bench's table: one row per variant, medians of its rounds. */
export function earlyEndTable(variants: string[], rounds: EarlyEndResult[][]): string[] {
  const lines = [
    `Event loop while streams end early (fresh process each round; ${EARLY_END_STREAMS} streams, the server sends no usage, the caller breaks after 2 chunks; median of the rounds). Every variant is watched for the same window, from the first break to ${WINDOW_MS / 1000} s after it (longer only while spans wait for a local count), by a chain of 1 ms timers. A timer is late when its thread waited for a core (on 2 cores: a worker thread, V8's helper threads; Linux's per-thread schedstat, subtracted, the 'waited for a core' column), was paused by a garbage collection (the main thread's \`gc\` performance entries; the uninstrumented client's allocations trigger them too), or ran code. Blocked = lateness less the wait for a core; outside GC = less the GC pauses too: what code blocked. Spans = spans ended within 6 s. First span: processors = from the first span processor's onEnding to the last one's onEnd, for the process's first span (the first run of that code, which V8 compiles then, unless Burnrate's start-up warm-up ran it in idle tasks before; \`burnrate-v6 (no warm-up)\` is Burnrate with the warm-up off):`,
    '',
    '| variant | spans | first break ms | slowest break ms | window ms (ticks) | delay p99 ms | monitorEventLoopDelay max ms | blocked p99 ms | blocked max ms | ticks blocked > 1 ms | outside GC: max ms | outside GC: ticks > 1 ms | longest GC pause ms | waited for a core ms | first span: processors ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const [ms1, ms2] = [fixed(1), fixed(2)];
  for (const [i, variant] of variants.entries()) {
    const runs = rounds[i];
    const m = (f: (x: EarlyEndResult) => number | undefined) =>
      median(runs.map((x) => f(x) ?? Number.NaN));
    const cells = [
      Math.min(...runs.map((x) => x.spans)),
      ms1(m((x) => x.firstBreakMs)),
      ms1(m((x) => x.maxBreakMs)),
      `${ms1(m((x) => x.windowMs))} (${m((x) => x.ticks)})`,
      ms2(m((x) => x.late.p99Ms)),
      ms1(m((x) => x.delay.maxMs)),
      ms2(m((x) => x.blocked?.p99Ms)),
      ms2(m((x) => x.blocked?.maxMs)),
      m((x) => x.blocked?.over1Ms),
      ms2(m((x) => x.blocked?.outsideGcMaxMs)),
      m((x) => x.blocked?.outsideGcOver1Ms),
      ms2(m((x) => x.gcMaxMs)),
      ms1(m((x) => x.blocked?.waitedMs)),
      ms2(m((x) => x.firstSpanEndMs)),
    ];
    lines.push(`| ${variant} | ${cells.join(' | ')} |`);
  }
  return lines;
}
