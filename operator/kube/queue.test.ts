import { describe, expect, it } from 'vitest';
import { WorkQueue } from './queue.ts';
import { RateLimiter } from './ratelimit.ts';
import { FakeClock } from './testing.ts';

describe('WorkQueue', () => {
  it('de-duplicates keys waiting in the queue', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands a key to two workers; re-queues it once when added during processing', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    const k = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((x) => {
      second = x;
    });
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(k!);
    await Promise.resolve();
    expect(second).toBe('a');
    expect(q.len()).toBe(0);
  });

  it('hands keys to waiting workers as they arrive', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
  });

  it('addAfter fires at the earliest requested time only', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 500);
    q.addAfter('a', 2000);
    expect(clock.pending()).toBe(1);
    clock.advance(499);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    clock.advance(5000);
    expect(q.len()).toBe(1);
  });

  it('backs off per key exponentially and forgets on success', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, rateLimiter: { baseDelayMs: 100, maxDelayMs: 1000 } });
    expect([1, 2, 3, 4, 5].map(() => q.addRateLimited('a'))).toEqual([100, 200, 400, 800, 1000]);
    expect(q.addRateLimited('b')).toBe(100);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(100);
  });

  it('shutdown releases waiting workers', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const p = q.get();
    q.shutdown();
    expect(await p).toBeUndefined();
    q.add('a');
    expect(await q.get()).toBeUndefined();
  });
});

describe('RateLimiter global bucket', () => {
  it('lets a burst through, then paces at qps', () => {
    const r = new RateLimiter({ baseDelayMs: 1, qps: 10, burst: 3 });
    const now = 1000;
    const delays = ['a', 'b', 'c', 'd', 'e'].map((k) => r.when(k, now));
    expect(delays.slice(0, 3)).toEqual([1, 1, 1]);
    expect(delays[3]).toBe(100);
    expect(delays[4]).toBe(200);
    expect(r.when('f', now + 10_000)).toBe(1);
  });
});

describe('WorkQueue low-priority lane', () => {
  const drain = async (q: WorkQueue, n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = (await q.get())!;
      out.push(k);
      q.done(k);
    }
    return out;
  };

  it('serves re-checks after normal keys, one in every lowShare under churn', async () => {
    const q = new WorkQueue({ clock: new FakeClock(), lowShare: 2 });
    for (const k of ['r1', 'r2', 'r3']) q.addLow(k);
    for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
    expect(q.len()).toBe(8);
    expect(q.lowLen()).toBe(3);
    expect(await drain(q, 8)).toEqual(['a', 'b', 'r1', 'c', 'd', 'r2', 'e', 'r3']);
    expect(q.len()).toBe(0);
  });

  it('promotes a waiting re-check when the key is added normally, and never serves it twice', async () => {
    const q = new WorkQueue({ clock: new FakeClock(), lowShare: 100 });
    q.addLow('x');
    q.addLow('y');
    q.add('a');
    q.add('y');
    q.addLow('y');
    expect(q.len()).toBe(3);
    expect(await drain(q, 3)).toEqual(['a', 'y', 'x']);
    expect(q.len()).toBe(0);
  });

  it('a re-check of a key being processed runs once more after it, like a normal add', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    const k = await q.get();
    q.addLow('a');
    expect(q.len()).toBe(0);
    q.done(k!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('hands a re-check straight to an idle worker', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const p = q.get();
    q.addLow('z');
    expect(await p).toBe('z');
    expect(q.len()).toBe(0);
  });
});
