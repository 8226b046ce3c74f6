import { describe, expect, it } from 'vitest';
import type { DigestConfig } from './config.ts';
import type { RunOutcome } from './run.ts';
import { parseSchedule, type Schedule } from './schedule.ts';
import { startDigestScheduler } from './scheduler.ts';

/** A fake clock with timers: advance() fires due timers in time order. */
function fakeClock(start: number) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => timers.delete(id as number),
    pending: () => timers.size,
    async advanceTo(t: number) {
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, x]) => x.at <= t)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        for (let i = 0; i < 5; i++) await Promise.resolve(); // let the run's promise settle
      }
      now = t;
    },
    /** The machine slept: the clock jumps to `t`, then overdue timers fire late. */
    async jumpTo(t: number) {
      now = t;
      for (const [id, x] of [...timers.entries()].filter(([, x]) => x.at <= t)) {
        timers.delete(id);
        x.fn();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
    },
  };
}

function config(schedule: string, timeZone: string): DigestConfig {
  return {
    file: 'digest.yaml',
    schedule: parseSchedule(schedule) as Schedule,
    timeZone,
    prometheusUrl: null,
    dashboardUrl: null,
    top: 5,
    atRisk: { utilization: 0.8, forecast: 1 },
    jump: { ratio: 1.5, minUsd: 1 },
    channels: [],
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const noProm = {
  query: async () => [],
  queryRange: async () => [],
};

describe('startDigestScheduler (fake clock)', () => {
  it('runs at 09:00 Berlin every Monday across the spring change, never twice', async () => {
    const clock = fakeClock(Date.UTC(2026, 2, 18));
    const runs: Array<[number, number]> = [];
    const log: string[] = [];
    const stop = startDigestScheduler(config('Mon 09:00', 'Europe/Berlin'), {
      prometheus: noProm,
      ...clock,
      log: (l) => log.push(l),
      run: async (at) => {
        runs.push([at, clock.now()]);
        return undefined;
      },
    });
    await clock.advanceTo(Date.UTC(2026, 3, 8));
    expect(runs.map(([at]) => iso(at))).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
    for (const [at, firedAt] of runs) expect(firedAt).toBe(at); // fired on time, not late
    expect(log[0]).toBe(
      'digest: scheduled "Mon 09:00" Europe/Berlin, next run Mon 2026-03-23 09:00',
    );
    await stop();
    expect(clock.pending()).toBe(0);
    await clock.advanceTo(Date.UTC(2026, 4, 1));
    expect(runs).toHaveLength(3);
  });

  it('runs once after the clock jumps past several runs, then follows the schedule', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1));
    const runs: Array<[number, number]> = [];
    const stop = startDigestScheduler(config('daily 06:00', 'UTC'), {
      prometheus: noProm,
      ...clock,
      log: () => undefined,
      run: async (at) => {
        runs.push([at, clock.now()]);
        return undefined;
      },
    });
    await clock.jumpTo(Date.UTC(2026, 0, 4, 7)); // asleep for three days
    expect(runs.map(([at, fired]) => [iso(at), iso(fired)])).toEqual([
      ['2026-01-01T06:00:00.000Z', '2026-01-04T07:00:00.000Z'],
    ]);
    await clock.advanceTo(Date.UTC(2026, 0, 5, 12));
    expect(runs.map(([at]) => iso(at))).toEqual([
      '2026-01-01T06:00:00.000Z',
      '2026-01-05T06:00:00.000Z',
    ]);
    await stop();
  });

  it('never wakes early: a timer firing before the run time only re-arms', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1));
    const runs: number[] = [];
    const stop = startDigestScheduler(config('daily 06:00', 'UTC'), {
      prometheus: noProm,
      now: clock.now,
      setTimer: (fn, ms) => clock.setTimer(fn, Math.min(ms, 60_000)),
      clearTimer: clock.clearTimer,
      log: () => undefined,
      run: async () => {
        runs.push(clock.now());
        return undefined;
      },
    });
    await clock.advanceTo(Date.UTC(2026, 0, 1, 7));
    expect(runs.map(iso)).toEqual(['2026-01-01T06:00:00.000Z']);
    await stop();
  });

  it('logs the outcome and survives a failing run', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1));
    const log: string[] = [];
    let calls = 0;
    const outcome = {
      data: { problems: [] },
      deliveries: [{ channel: 'mail', type: 'email', ok: false, error: 'HTTP 500', durationMs: 3 }],
      ok: false,
    } as unknown as RunOutcome;
    const stop = startDigestScheduler(config('daily 06:00', 'UTC'), {
      prometheus: noProm,
      ...clock,
      log: (l) => log.push(l),
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return outcome;
      },
    });
    await clock.advanceTo(Date.UTC(2026, 0, 3));
    expect(calls).toBe(2);
    expect(log).toContain('digest: run failed: boom');
    expect(log).toContain('digest: delivery to mail (email) failed: HTTP 500');
    await stop();
  });
});
