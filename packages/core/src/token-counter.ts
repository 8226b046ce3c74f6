import { Worker } from 'node:worker_threads';
import { burnrateLogger, safely } from './fail-open.ts';
import {
  countTally,
  type Encoding,
  encodingLoaded,
  estimateTally,
  type TokenTally,
} from './token-count.ts';

/**
 * Local token counts off the event loop. Loading a gpt-tokenizer encoding evaluates megabytes of
 * rank data and blocks the thread that loads it for 0.2–0.4 s; a stream that ends without usage
 * (an early `break`, an abort, a server that sends none) would otherwise pay that inside the
 * caller's `break`. Here the encoding is loaded, and the text counted, in one worker thread that
 * starts the first time a count is needed (never before), is unref'd (it never keeps the process
 * alive) and runs no preload (`--import @burnrate/auto` is not run in it).
 *
 * The caller gets the exact count through a callback, and ends its span there. The wait is
 * bounded: after `BURNRATE_TOKEN_COUNT_TIMEOUT` (default 5 s), when the worker cannot be started
 * or fails, and when the process is about to exit, the callback gets a character-based estimate
 * instead. Either way the count is `estimated` on the span (a local count, not the provider's).
 * When this thread already has the encoding (someone called `countTextTokens`) and the texts are
 * short, the count is made at once, synchronously, as before.
 */

/** Texts up to this many characters are counted in place when the encoder is already loaded (well under 1 ms). */
const IN_PLACE_MAX_CHARS = 2000;
export const DEFAULT_TOKEN_COUNT_TIMEOUT_MS = 5000;

let timeoutMs: number | undefined;

/** The longest a count waits for the worker before an estimate is used; `undefined` reads the environment again. */
export function setTokenCountTimeout(ms: number | undefined): void {
  timeoutMs = ms;
}

function countTimeout(): number {
  if (timeoutMs === undefined) {
    const raw = Number(process.env.BURNRATE_TOKEN_COUNT_TIMEOUT_MS);
    timeoutMs = Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_TOKEN_COUNT_TIMEOUT_MS;
  }
  return timeoutMs;
}

/** The worker: loads an encoding on first need, counts `[encoding, texts][]`, replies with sums. */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
// Linux: lowest CPU priority for this thread only (setpriority on the calling thread), so that on
// a service with few cores, loading an encoding never takes a core from the event loop.
if (workerData.lowPriority) try { require('node:os').setPriority(19); } catch {}
const load = require('node:module').createRequire(workerData.base);
const encoders = new Map();
parentPort.on('message', ({ id, work }) => {
  try {
    const counts = work.map(([encoding, texts]) => {
      let e = encoders.get(encoding);
      if (!e) {
        e = load('gpt-tokenizer/encoding/' + encoding);
        encoders.set(encoding, e);
      }
      let n = 0;
      for (const t of texts) n += e.countTokens(t);
      return n;
    });
    parentPort.postMessage({ id, counts });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Job {
  tallies: readonly TokenTally[];
  done: (counts: number[], exact: boolean) => void;
  timer: NodeJS.Timeout | undefined;
}

let worker: Worker | undefined;
let broken = false;
let nextId = 1;
const jobs = new Map<number, Job>();
let exitHookInstalled = false;

function settle(id: number, counts: number[] | undefined): void {
  const job = jobs.get(id);
  if (!job) return;
  jobs.delete(id);
  if (job.timer) clearTimeout(job.timer);
  const exact = counts !== undefined && counts.length === job.tallies.length;
  const result = job.tallies.map((t, i) =>
    exact && typeof counts[i] === 'number' ? t.fixed + counts[i] : estimateTally(t),
  );
  safely('recording token count', () => job.done(result, exact));
}

/** Ends every count still waiting, with estimates (the process is exiting, or the worker failed). */
export function settlePendingTokenCounts(): void {
  for (const m of replies.splice(0)) settle(m.id, m.counts);
  for (const id of [...jobs.keys()]) settle(id, undefined);
}

interface Reply {
  id: number;
  counts?: number[];
  error?: string;
}

/** Replies the worker sent, waiting to end their spans. */
const replies: Reply[] = [];
/**
 * The longest one task spends ending spans with the worker's counts. Replies arrive together
 * (all the counts that waited while the worker loaded an encoding, delivered in one callback), and
 * ending a span prices and exports it: they are ended a slice at a time, each slice a task of its
 * own, so other work of the service runs between slices.
 */
const REPLY_SLICE_MS = 0.5;

function drainReplies(): void {
  const until = performance.now() + REPLY_SLICE_MS;
  let n = 0;
  while (n < replies.length) {
    const m = replies[n++];
    settle(m.id, m.counts);
    if (performance.now() >= until) break;
  }
  replies.splice(0, n);
  if (replies.length > 0) setImmediate(drainReplies);
}

function fail(reason: unknown): void {
  if (!broken) burnrateLogger.warn('token counter worker failed; counts are estimated', reason);
  broken = true;
  worker = undefined;
  settlePendingTokenCounts();
}

function startWorker(): Worker | undefined {
  if (worker || broken) return worker;
  const w = safely(
    'starting token counter',
    () =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        // Elsewhere `setPriority(0, …)` would lower the whole process, so only on Linux.
        workerData: { base: import.meta.url, lowPriority: process.platform === 'linux' },
        // No preload in the worker (NODE_OPTIONS=--import @burnrate/auto would start a second SDK
        // there), no inherited flags, and no stdio piping to set up.
        env: {},
        execArgv: [],
        stdout: true,
        stderr: true,
        name: 'burnrate-token-counter',
      }),
  );
  if (!w) {
    broken = true;
    return undefined;
  }
  w.on('message', (m: Reply) => {
    if (m.error !== undefined) burnrateLogger.warn(`token count failed: ${m.error}`);
    replies.push(m);
    if (replies.length === 1) setImmediate(drainReplies);
  });
  w.on('error', fail);
  w.on('exit', (code) => {
    if (worker === w) fail(new Error(`token counter exited with code ${code}`));
  });
  // After the listeners (adding one refs the worker's port again): never keeps the process alive.
  w.unref();
  worker = w;
  return w;
}

function inPlace(tallies: readonly TokenTally[]): boolean {
  let chars = 0;
  for (const t of tallies) {
    if (t.texts.length === 0) continue;
    if (!encodingLoaded(t.encoding)) return false;
    for (const text of t.texts) chars += text.length;
  }
  return chars <= IN_PLACE_MAX_CHARS;
}

/**
 * Counts the tallies and calls `done` with one count per tally: synchronously when that is cheap
 * (nothing to count, or short texts and an encoder this thread already has), else from the worker
 * (`exact` true) or, when it fails or takes longer than the timeout, with estimates (`exact` false).
 * With `wait: false`, what cannot be counted at once is estimated at once. `done` is called
 * exactly once.
 */
export function countTokensOffThread(
  tallies: readonly TokenTally[],
  done: (counts: number[], exact: boolean) => void,
  options: { wait?: boolean } = {},
): void {
  if (inPlace(tallies)) {
    const counts = safely('counting tokens', () => tallies.map(countTally));
    done(counts ?? tallies.map(estimateTally), counts !== undefined);
    return;
  }
  if (options.wait === false) {
    // The caller cannot wait (the process may be exiting): an estimate now.
    done(tallies.map(estimateTally), false);
    return;
  }
  if (broken) {
    done(tallies.map(estimateTally), false);
    return;
  }
  installExitHook();
  const id = nextId++;
  const job: Job = { tallies, done, timer: undefined };
  jobs.set(id, job);
  const work: [Encoding, string[]][] = tallies.map((t) => [t.encoding, t.texts]);
  job.timer = setTimeout(() => settle(id, undefined), countTimeout()).unref();
  if (worker) send(worker, id, work);
  else {
    // Starting the worker takes the thread a few ms: never inside the caller's call (a stream's
    // `break`), but in a task of its own right after it.
    unsent.push([id, work]);
    if (unsent.length === 1) setImmediate(sendUnsent);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Before any other `beforeExit` listener (@burnrate/auto flushes there): nothing will count
  // any more, so the spans waiting for a count end now, with an estimate, and get exported.
  process.prependListener('beforeExit', settlePendingTokenCounts);
}

const unsent: [number, [Encoding, string[]][]][] = [];

function sendUnsent(): void {
  const w = startWorker();
  for (const [id, work] of unsent.splice(0)) {
    if (w) send(w, id, work);
    else settle(id, undefined);
  }
}

function send(w: Worker, id: number, work: [Encoding, string[]][]): void {
  try {
    w.postMessage({ id, work });
  } catch (error) {
    settle(id, undefined);
    burnrateLogger.warn('token count could not be sent to the worker', error);
  }
}

/** Test support: whether a count is waiting for the worker. */
export function pendingTokenCounts(): number {
  return jobs.size;
}

/** Test support: whether the worker thread has been started. */
export function tokenCounterStarted(): boolean {
  return worker !== undefined;
}
