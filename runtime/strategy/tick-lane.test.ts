import { describe, expect, it } from 'vitest';
import type { StrategyTick } from './sdk.ts';
import { CONFLATE_AFTER, createLaneBuffers, LaneReader, LaneWriter } from './tick-lane.ts';

const tick = (instrument: string, lastPrice: number, volume = 1): StrategyTick => ({
  instrument,
  time: lastPrice,
  lastPrice,
  volume,
  bidPrice: lastPrice - 2,
});

describe('tick lane', () => {
  it('a worker that keeps up sees every tick, in order, with its fields', () => {
    const b = createLaneBuffers();
    const w = new LaneWriter(b);
    const r = new LaneReader(b, ['au2606', 'au2608']);
    w.publish(0, tick('au2606', 100));
    w.publish(1, tick('au2608', 200));
    const got: StrategyTick[] = [];
    const ks: number[] = [];
    expect(
      r.drain((t, k) => {
        got.push(t);
        ks.push(k);
      }),
    ).toBe(2);
    expect(got).toEqual([tick('au2606', 100), tick('au2608', 200)]);
    expect(ks).toEqual([1, 2]);
    expect(w.processed()).toBe(w.published());
    expect(r.drain((t) => got.push(t))).toBe(0);
  });

  it('a worker too far behind gets the newest snapshot per instrument (conflation), not a queue', () => {
    const b = createLaneBuffers();
    const w = new LaneWriter(b);
    const r = new LaneReader(b, ['au2606', 'au2608']);
    const n = CONFLATE_AFTER * 5;
    for (let i = 1; i <= n; i++) w.publish(i % 2, tick(i % 2 ? 'au2608' : 'au2606', i, i));
    const got: StrategyTick[] = [];
    const ks: number[] = [];
    r.drain((t, k) => {
      got.push(t);
      ks.push(k);
    });
    // Each conflated snapshot keeps its own lane number (what an order sent for it names).
    expect(ks).toEqual([n - 1, n]);
    expect(w.conflated()).toBe(n - 2);
    // n is even: the last tick (n) is au2606's, the one before (n - 1) au2608's.
    expect(got.map((t) => [t.instrument, t.lastPrice])).toEqual([
      ['au2608', n - 1],
      ['au2606', n],
    ]);
    expect(got.at(-1)?.volume).toBe(n);
    expect(r.conflated).toBe(n - 2);
    expect(w.processed()).toBe(n);
  });
});
