import { burnrateLogger, safely } from './fail-open.ts';

/**
 * Ends the span of a stream nobody reads. A stream the caller creates but never iterates (nor
 * aborts) would otherwise keep its span open forever, and its cost would never be recorded. Three
 * ways out, whichever comes first, each ending the stream's span once (marked
 * `burnrate.stream.abandoned`, with the cost the instrumentation can tell, as after an early
 * `break`):
 *
 * - the idle timeout: nobody started reading within `BURNRATE_STREAM_IDLE_TIMEOUT` (default 60 s;
 *   detected by a shared sweep, so within 1.25 times that). Once reading started, a slow consumer
 *   is never cut off. The sweep's timer is unref'd: it never keeps the process alive.
 * - garbage collection: the stream object (or, once reading started, its iterator) was collected
 *   without the stream ending; nobody can read it any more (noticed from the first sweep on, at
 *   most a second after the stream was created).
 * - the process is about to exit (`abandonOpenStreams()`, which `@burnrate/auto` calls on
 *   `beforeExit`, before its final flush).
 */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The idle timeout from `BURNRATE_STREAM_IDLE_TIMEOUT`: a duration (`500ms`, `30s`, `5m`, `1h`)
 * or whole milliseconds; `0` turns the timer off (collection still ends dropped streams). A bad
 * value is reported (naming the variable) and the default is kept.
 */
export function streamIdleTimeoutFromEnv(
  env: Record<string, string | undefined>,
  report: (message: string) => void,
): number {
  const raw = env.BURNRATE_STREAM_IDLE_TIMEOUT?.trim();
  if (!raw) return DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw);
  const ms = m ? Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']) : Number.NaN;
  // setTimeout's limit: about 24.8 days.
  if (Number.isFinite(ms) && ms <= 2 ** 31 - 1) return ms;
  report(
    `BURNRATE_STREAM_IDLE_TIMEOUT: expected a duration such as 60s, 500ms or 5m (0 = off), got ${JSON.stringify(raw)}; using the default`,
  );
  return DEFAULT_STREAM_IDLE_TIMEOUT_MS;
}

let idleTimeoutMs: number | undefined;

/** Sets the idle timeout for streams wrapped from now on; `undefined` reads the environment again. */
export function setStreamIdleTimeout(ms: number | undefined): void {
  idleTimeoutMs = ms;
  if (sweepTimer) {
    clearTimeout(sweepTimer);
    schedule();
  }
}

function idleTimeout(): number {
  idleTimeoutMs ??= streamIdleTimeoutFromEnv(process.env, (m) =>
    burnrateLogger.warn(`configuration error: ${m}`),
  );
  return idleTimeoutMs;
}

let endingAbandoned = false;

/** True while an abandoned stream's end is being recorded (span-call.ts marks the span). */
export function isEndingAbandonedStream(): boolean {
  return endingAbandoned;
}

/** How a stream ended; `abandoned` when nobody read it any more. */
export interface WatchedEnd {
  complete: boolean;
  error?: unknown;
  abandoned?: boolean;
}

// One shared, unref'd sweep instead of a timer per stream, to keep the per-call cost down: it
// runs while streams are open, every quarter of the idle timeout (at most every second), so an
// unread stream ends between 1 and 1.25 timeouts after it was created. It also hands streams
// still open to the finalization registry (the few that outlive a sweep pay for it, not every
// call) and drops ended streams from the list.
const MAX_PERIOD_MS = 1000;
let watches: StreamWatch[] = [];
/** Watches not ended: the list is compacted when ended ones outnumber them (amortised O(1)). */
let live = 0;
let tick = 0;
let sweepTimer: NodeJS.Timeout | undefined;

function period(): number {
  const ms = idleTimeout();
  return ms > 0 ? Math.min(Math.ceil(ms / 4), MAX_PERIOD_MS) : MAX_PERIOD_MS;
}

function schedule(): void {
  sweepTimer = setTimeout(sweepSafely, period()).unref();
}

function sweepSafely(): void {
  sweepTimer = undefined;
  safely('sweeping unread streams', sweep);
  if (watches.length > 0 && !sweepTimer) schedule();
}

function sweep(): void {
  tick++;
  const list = watches;
  watches = [];
  for (const watch of list) {
    if (watch.ended) continue;
    // Aborted while nobody reads it (a reader's next read ends it at once, see `end`).
    if (watch.endIfAborted()) continue;
    if (!watch.claimed && tick >= watch.deadline) {
      watch.abandon();
      continue;
    }
    watch.watchForCollection();
    watches.push(watch);
  }
}

function compact(): void {
  watches = watches.filter((watch) => !watch.ended);
}

/**
 * Ends every stream still open as abandoned. For the moment the event loop is empty
 * (`beforeExit`): nothing can read a stream any more, and its span must end to be exported.
 */
export function abandonOpenStreams(): void {
  const list = watches;
  watches = [];
  for (const watch of list) watch.abandon();
}

// Held values are the watches, which never reference what they watch (or it could not be
// collected).
const collected = new FinalizationRegistry<StreamWatch>((watch) => watch.abandon());

/** Something with an `onEnd` method (a stream's hooks). */
export interface WatchEnding {
  onEnd(end: WatchedEnd): void;
}

/**
 * One stream's ending: calls `onEnd` exactly once, whichever path gets there first (the consumer's
 * end, an error, `break`, an abort of `signal`, the idle sweep, collection, or exit). Holds no
 * reference to the stream or its iterator.
 */
export class StreamWatch {
  /** The sweep tick from which an unread stream counts as abandoned. */
  readonly deadline: number;
  claimed = false;
  #onEnd: WatchEnding | undefined;
  #target: object | undefined;
  /**
   * The caller's abort signal, read rather than listened to (an abort listener's add and remove
   * cost more than the rest of the watch): a stream aborted while read ends at its next read,
   * whose end (`end`) carries the abort; one aborted while nobody reads it ends at the next
   * sweep (within a second).
   */
  #signal: AbortSignal | undefined;

  /** `onEnd` is a function, or an object whose `onEnd` method is called (no closure needed). */
  constructor(onEnd: ((end: WatchedEnd) => void) | WatchEnding, signal?: AbortSignal) {
    this.#onEnd = typeof onEnd === 'function' ? { onEnd } : onEnd;
    this.#signal = signal;
    const ms = idleTimeout();
    this.deadline = ms > 0 ? tick + Math.ceil(ms / period()) + 1 : Number.POSITIVE_INFINITY;
    live++;
    if (watches.length > 2 * live + 1024) compact();
    watches.push(this);
    if (!sweepTimer) schedule();
  }

  get ended(): boolean {
    return this.#onEnd === undefined;
  }

  /**
   * Ends the stream when `target` is collected: something both the stream object and its iterator
   * (once reading started) keep alive, so it goes only when nobody can read the stream any more.
   * Held until the next sweep registers it (a stream that ends before never pays for that).
   */
  watch(target: object): void {
    this.#target = target;
  }

  watchForCollection(): void {
    if (!this.#target) return;
    collected.register(this.#target, this);
    this.#target = undefined;
  }

  /** Reading started: no idle deadline any more (a slow consumer is never cut off). */
  markClaimed(): void {
    this.claimed = true;
  }

  end(end: WatchedEnd): void {
    const onEnd = this.#onEnd;
    if (!onEnd) return;
    // An end after the caller aborted (the SDK's iterator then stops, or fails with its own
    // error): the abort, with the caller's reason, as it ends the request.
    const signal = this.#signal;
    const ended =
      signal?.aborted && !end.abandoned && end.error === undefined
        ? { complete: false, error: signal.reason }
        : end;
    this.cancel();
    try {
      onEnd.onEnd(ended);
    } catch (error) {
      burnrateLogger.warn(
        'ending stream span failed; telemetry for this call may be incomplete',
        error,
      );
    }
  }

  /** Ends the stream if its signal was aborted; true when it did. */
  endIfAborted(): boolean {
    if (!this.#signal?.aborted) return false;
    this.end({ complete: false, error: this.#signal.reason });
    return true;
  }

  /** Stops watching without calling `onEnd`. */
  cancel(): void {
    if (!this.#onEnd) return;
    this.#onEnd = undefined;
    this.#target = undefined;
    live--;
    this.#signal = undefined;
  }

  /** Nobody reads the stream any more: ends it, marked abandoned. */
  abandon(): void {
    if (!this.#onEnd) return;
    endingAbandoned = true;
    try {
      this.end({ complete: false, abandoned: true });
    } finally {
      endingAbandoned = false;
    }
  }
}
