import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { chatTally, countTally, estimateTally, textTally } from './token-count.ts';
import {
  countTokensOffThread,
  pendingTokenCounts,
  setTokenCountTimeout,
  settlePendingTokenCounts,
  tokenCounterStarted,
} from './token-counter.ts';

afterEach(() => setTokenCountTimeout(undefined));

// This thread's CPU priority before any count started a worker (CI may run the suite niced).
const callerPriority = getPriority();

// Longer than what is ever counted in place: always goes to the worker.
const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(80);
const MESSAGES = [{ role: 'user', content: LONG, name: 'ann' }];

/** Starts a count; `sync` says whether the callback already ran. */
function count(
  tallies: Parameters<typeof countTokensOffThread>[0],
  options?: { wait?: boolean },
): { sync: boolean; result: Promise<{ counts: number[]; exact: boolean }> } {
  let sync = false;
  const result = new Promise<{ counts: number[]; exact: boolean }>((resolve) =>
    countTokensOffThread(
      tallies,
      (counts, exact) => {
        sync = true;
        resolve({ counts, exact });
      },
      options,
    ),
  );
  return { sync, result };
}

describe('token counts off the event loop', () => {
  // Runs first (the worker is started once per process): starting a worker thread takes the
  // calling thread 1.5–25 ms, which must not happen inside the caller's call (a stream's `break`).
  it('starts its worker after the call that first needs it has returned, not inside it', async () => {
    expect(tokenCounterStarted()).toBe(false);
    const { result } = count([textTally(LONG, 'gpt-4o-mini')]);
    expect(tokenCounterStarted()).toBe(false);
    expect(pendingTokenCounts()).toBe(1);
    const { counts, exact } = await result;
    expect(tokenCounterStarted()).toBe(true);
    expect(exact).toBe(true);
    expect(counts[0]).toBe(countTally(textTally(LONG, 'gpt-4o-mini')));
  });

  it('counts in the worker exactly as in this thread, without calling back synchronously', async () => {
    const tallies = [chatTally(MESSAGES, 'gpt-4o-mini'), textTally(LONG, 'gpt-4')];
    let called = false;
    const result = new Promise<{ counts: number[]; exact: boolean }>((resolve) =>
      countTokensOffThread(tallies, (counts, exact) => {
        called = true;
        resolve({ counts, exact });
      }),
    );
    expect(called).toBe(false);
    const { counts, exact } = await result;
    expect(exact).toBe(true);
    expect(counts).toEqual(tallies.map(countTally));
  });

  it('ends the spans of counts that arrive together a slice at a time, never all in one task', async () => {
    // Counts that waited together (while the worker loaded an encoding, or while this thread was
    // busy) come back in one callback; ending each span takes time (pricing, export), here 0.1 ms.
    const N = 60;
    let turn = 0;
    let turning = true;
    const next = () => {
      turn++;
      if (turning) setImmediate(next);
    };
    const perTurn = new Map<number, number>();
    const all = Array.from({ length: N }, (_, i) => {
      const tallies = [textTally(`${LONG} ${i}`, 'gpt-4o-mini')];
      return new Promise<boolean>((resolve) =>
        countTokensOffThread(tallies, (_counts, exact) => {
          perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
          const until = performance.now() + 0.1;
          while (performance.now() < until);
          resolve(exact);
        }),
      );
    });
    // This thread busy while the worker counts: every reply waits in the port.
    const until = performance.now() + 300;
    while (performance.now() < until);
    setImmediate(next);
    const exact = await Promise.all(all);
    turning = false;
    expect(exact.every(Boolean)).toBe(true);
    // A slice is 0.5 ms: at most 6 spans of 0.1 ms in one task, so at least 10 tasks for 60.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(6);
    expect(perTurn.size).toBeGreaterThanOrEqual(N / 6);
  });

  it.runIf(process.platform === 'linux')(
    'counts in a thread of the lowest CPU priority, leaving the calling thread as it was',
    () => {
      expect(tokenCounterStarted()).toBe(true);
      // Linux nice is per thread: field 19 of /proc/self/task/<tid>/stat.
      const nice = readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
      expect(nice).toContain(19);
      expect(getPriority()).toBe(callerPriority);
    },
  );

  it('waits a bounded time: after the timeout, a character-based estimate', async () => {
    setTokenCountTimeout(1);
    const tallies = [textTally(`${LONG} timeout`, 'gpt-4o')];
    const { result } = count(tallies);
    // Either the worker (already warm from the test above) or the timer answers; never nothing.
    const { counts, exact } = await result;
    expect(counts[0]).toBe(exact ? countTally(tallies[0]) : estimateTally(tallies[0]));
  });

  it('settles what is pending with estimates at once (process exit)', async () => {
    const tallies = [textTally(`${LONG} exit`, 'gpt-4o')];
    const { result } = count(tallies);
    expect(pendingTokenCounts()).toBe(1);
    settlePendingTokenCounts();
    expect(pendingTokenCounts()).toBe(0);
    expect(await result).toEqual({ counts: [estimateTally(tallies[0])], exact: false });
  });

  it('without waiting (an abandoned stream): an estimate at once', async () => {
    const tallies = [textTally(`${LONG} abandoned`, 'gpt-4o')];
    const { sync, result } = count(tallies, { wait: false });
    expect(sync).toBe(true);
    expect(await result).toEqual({ counts: [estimateTally(tallies[0])], exact: false });
  });

  it('the estimate keeps the fixed tokens of the chat rule', () => {
    const t = chatTally([{ role: 'user', content: 'abcdefgh' }]);
    // 3 priming + 3 per message, then about 4 characters per token: "user" 1, content 2.
    expect(estimateTally(t)).toBe(3 + 3 + 1 + 2);
  });
});
