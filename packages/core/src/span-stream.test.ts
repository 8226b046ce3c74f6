import { describe, expect, it, vi } from 'vitest';
import { type StreamEnd, wrapIteratorFactory, wrapStreamInPlace } from './span-stream.ts';

async function* numbers(n: number, failAt?: number) {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error('boom');
    yield i;
  }
}

function recorder() {
  const ends: StreamEnd[] = [];
  const seen: number[] = [];
  return {
    ends,
    seen,
    hooks: {
      onChunk: (c: number) => {
        seen.push(c);
        return c === 99 ? false : undefined;
      },
      onEnd: (e: StreamEnd) => ends.push(e),
    },
  };
}

describe('wrapIteratorFactory', () => {
  it('passes every chunk through and ends once when complete', async () => {
    const r = recorder();
    const factory = wrapIteratorFactory(() => numbers(3), r.hooks);
    const out = [];
    for await (const x of { [Symbol.asyncIterator]: factory }) out.push(x);
    expect(out).toEqual([0, 1, 2]);
    expect(r.ends).toEqual([{ complete: true }]);
  });

  it('ends once on early break', async () => {
    const r = recorder();
    const factory = wrapIteratorFactory(() => numbers(10), r.hooks);
    for await (const x of { [Symbol.asyncIterator]: factory }) if (x === 1) break;
    expect(r.ends).toEqual([{ complete: false }]);
  });

  it('ends once on error and rethrows the same error', async () => {
    const r = recorder();
    const factory = wrapIteratorFactory(() => numbers(10, 2), r.hooks);
    const err = await (async () => {
      for await (const _ of { [Symbol.asyncIterator]: factory }) {
        /* drain */
      }
    })().catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0].error).toBe(err);
  });

  it('hides chunks a hook rejects', async () => {
    const r = recorder();
    async function* src() {
      yield 1;
      yield 99;
      yield 2;
    }
    const factory = wrapIteratorFactory(src, r.hooks);
    const out = [];
    for await (const x of { [Symbol.asyncIterator]: factory }) out.push(x);
    expect(out).toEqual([1, 2]);
    expect(r.seen).toEqual([1, 99, 2]);
  });

  it('records only the first iteration; a second gets the source own behaviour', async () => {
    const r = recorder();
    let calls = 0;
    const factory = wrapIteratorFactory(() => {
      calls++;
      if (calls > 1) throw new Error('consumed');
      return numbers(2);
    }, r.hooks);
    for await (const _ of { [Symbol.asyncIterator]: factory }) {
      /* drain */
    }
    expect(() => factory()).toThrow('consumed');
    expect(r.ends).toHaveLength(1);
  });

  it('a consumer that throws into the iterator ends the span with that error and stops the source', async () => {
    const r = recorder();
    let sourceStopped = false;
    async function* src() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        sourceStopped = true;
      }
    }
    const it = wrapIteratorFactory(src, r.hooks)();
    expect((await it.next()).value).toBe(0);
    const err = new Error('consumer gave up');
    await expect(it.throw?.(err)).rejects.toBe(err);
    expect(r.ends).toEqual([{ complete: false, error: err }]);
    expect(sourceStopped).toBe(true);
  });

  it('passes what the consumer sends with next(value) on to the source', async () => {
    const r = recorder();
    const received: unknown[] = [];
    let n = 0;
    const src = (): AsyncIterator<number> => ({
      next: (...args: unknown[]) => {
        received.push(...args);
        return Promise.resolve(
          n < 3 ? { value: n++, done: false } : { value: undefined, done: true },
        );
      },
    });
    const it = wrapIteratorFactory(src, r.hooks)();
    await it.next();
    await it.next('a');
    await it.next('b');
    expect(received).toEqual(['a', 'b']);
  });

  it('a throwing hook never reaches the consumer', async () => {
    const factory = wrapIteratorFactory(() => numbers(3), {
      onChunk: () => {
        throw new Error('hook');
      },
      onEnd: () => {
        throw new Error('hook');
      },
    });
    const out = [];
    for await (const x of { [Symbol.asyncIterator]: factory }) out.push(x);
    expect(out).toEqual([0, 1, 2]);
  });
});

describe('wrapStreamInPlace', () => {
  it('keeps the object, its class and methods, and ends on abort', async () => {
    class MyStream {
      controller = new AbortController();
      iterator = () => numbers(100);
      [Symbol.asyncIterator]() {
        return this.iterator();
      }
      extra() {
        return 'still here';
      }
    }
    const s = new MyStream();
    const r = recorder();
    expect(wrapStreamInPlace(s, r.hooks, s.controller.signal)).toBe(true);
    expect(s).toBeInstanceOf(MyStream);
    expect(s.extra()).toBe('still here');
    s.controller.abort(new Error('stop'));
    // Nobody reads it: the watch's sweep (at most a second) ends it with the abort.
    await vi.waitFor(() => expect(r.ends).toHaveLength(1), { timeout: 3000, interval: 50 });
    expect((r.ends[0].error as Error).message).toBe('stop');
  });

  it('an abort while the stream is read ends it at the next read, with the abort', async () => {
    class MyStream {
      controller = new AbortController();
      iterator = () => numbers(100);
    }
    const s = new MyStream();
    const r = recorder();
    wrapStreamInPlace(s, r.hooks, s.controller.signal);
    const seen: number[] = [];
    // Like an SDK whose iterator just stops on abort: the end still says it was aborted.
    for await (const x of { [Symbol.asyncIterator]: () => s.iterator() }) {
      seen.push(x);
      if (x === 1) {
        s.controller.abort(new Error('user stop'));
        break;
      }
    }
    expect(seen).toEqual([0, 1]);
    expect(r.ends).toHaveLength(1);
    expect(r.ends[0]).toMatchObject({ complete: false });
    expect((r.ends[0].error as Error).message).toBe('user stop');
  });

  it('wraps a plain async iterable', async () => {
    const s = { [Symbol.asyncIterator]: () => numbers(2) };
    const r = recorder();
    wrapStreamInPlace(s, r.hooks);
    const out = [];
    for await (const x of s) out.push(x);
    expect(out).toEqual([0, 1]);
    expect(r.ends).toEqual([{ complete: true }]);
  });
});
