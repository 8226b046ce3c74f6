// Runs the digest on its schedule, in its time zone (for the evaluator service). Sleeps at most
// an hour at a time and re-reads the clock, so clock jumps and long waits stay correct; a run
// never overlaps the previous one; runs missed while the process was down are not replayed.
import type { DigestConfig } from './config.ts';
import { localTime } from './content.ts';
import { describeOutcome, type RunDeps, type RunOutcome, runDigest } from './run.ts';
import { nextRun } from './schedule.ts';

export type TimerHandle = unknown;

export interface SchedulerDeps extends RunDeps {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
  log?: (line: string) => void;
  /** Replaces the digest run (tests); gets the scheduled instant. */
  run?: (scheduledAt: number) => Promise<RunOutcome | undefined>;
}

const MAX_SLEEP_MS = 3_600_000;

/** Starts the schedule; the returned function stops it and waits for a run in progress. */
export function startDigestScheduler(
  config: DigestConfig,
  deps: SchedulerDeps,
): () => Promise<void> {
  const now = deps.now ?? Date.now;
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  const log = deps.log ?? ((line: string) => console.log(line));
  const run = deps.run ?? ((at: number) => runDigest(config, deps, { now: at }));
  const zone = config.timeZone;
  let stopped = false;
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let next = nextRun(config.schedule, zone, now());
  log(`digest: scheduled "${config.schedule.text}" ${zone}, next run ${localTime(next, zone)}`);

  const arm = () => {
    if (stopped) return;
    timer = setTimer(tick, Math.max(0, Math.min(next - now(), MAX_SLEEP_MS)));
  };
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const t = now();
    if (t < next) return arm();
    const at = next;
    next = nextRun(config.schedule, zone, Math.max(at, t));
    running = run(at)
      .then((outcome) => {
        if (outcome) for (const line of describeOutcome(outcome)) log(line);
      })
      .catch((err: Error) => log(`digest: run failed: ${err.message}`))
      .finally(() => {
        running = undefined;
        log(`digest: next run ${localTime(next, zone)}`);
        arm();
      });
  };
  arm();
  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimer(timer);
    await running;
  };
}
