import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bars.ts';

const t = (sec: number, lastPrice: number, volume: number, instrument = 'au2606') => ({
  instrument,
  time: Date.UTC(2026, 2, 2, 2, 0, 0) + sec * 1000,
  lastPrice,
  volume,
});

describe('BarAggregator', () => {
  it('builds 1-minute OHLCV bars and emits one when the next minute starts', () => {
    const a = new BarAggregator();
    expect(a.add(t(0, 100, 10))).toBeUndefined();
    a.add(t(10, 104, 12));
    a.add(t(20, 98, 15));
    a.add(t(59, 102, 20));
    const bar = a.add(t(60, 103, 21));
    expect(bar).toEqual({
      instrument: 'au2606',
      time: t(0, 0, 0).time,
      open: 100,
      high: 104,
      low: 98,
      close: 102,
      volume: 10,
    });
    expect(a.current('au2606')).toMatchObject({ open: 103, volume: 1 });
  });

  it('keeps instruments apart and skips empty minutes', () => {
    const a = new BarAggregator();
    a.add(t(0, 100, 0));
    a.add(t(5, 200, 0, 'au2608'));
    const b = a.add(t(185, 101, 3));
    expect(b).toMatchObject({ instrument: 'au2606', close: 100 });
    expect(a.current('au2608')).toMatchObject({ close: 200 });
  });

  it('ignores a late tick from a finished bar', () => {
    const a = new BarAggregator();
    a.add(t(61, 100, 0));
    expect(a.add(t(30, 90, 0))).toBeUndefined();
    expect(a.current('au2606')?.low).toBe(100);
  });
  it('puts each tick in the bar the period arithmetic says, for times before 1970 and fractional ones too', () => {
    // Reference: each tick's bar start from the remainder, ticks grouped by it.
    const times = [
      -3500, -2999.5, -2000, -1001, -1000, -999, -1, 0, 0.5, 999, 1000, 1500.25, 1999, 2000, 5000,
    ];
    const a = new BarAggregator(1000);
    const got: Array<[number, number, number]> = [];
    for (const [i, time] of times.entries()) {
      const bar = a.add({ instrument: 'x', time, lastPrice: 100 + i, volume: i });
      if (bar) got.push([bar.time, bar.open, bar.close]);
    }
    const want: Array<[number, number, number]> = [];
    times.forEach((time, i) => {
      const start = time - (time % 1000);
      const last = want.at(-1);
      if (last && last[0] === start) last[2] = 100 + i;
      else want.push([start, 100 + i, 100 + i]);
    });
    expect(got).toEqual(want.slice(0, -1));
  });
});
