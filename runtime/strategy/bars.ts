/**
 * Bar aggregation from ticks: 1-minute OHLC bars (or any period), per instrument. A bar is emitted when
 * the first tick of a later period arrives (a bar is complete only once we know no more ticks belong to
 * it). Volume is the difference of the day's cumulative volume. Pure; time comes from the ticks.
 */
import type { Bar, Tick } from '../domain/types.ts';

/** Aggregates ticks of any number of instruments into bars. */
export class BarAggregator {
  readonly #periodMs: number;
  readonly #open = new Map<string, Bar & { lastVolume: number }>();

  /** @param periodMs bar length, default 60 000 (1 minute) */
  constructor(periodMs = 60_000) {
    this.#periodMs = periodMs;
  }

  /** Adds a tick; returns the bar it completed, if any. */
  add(t: Tick): Bar | undefined {
    const cur = this.#open.get(t.instrument);
    // Most ticks fall in the open bar: no remainder (a floating-point one, for epoch milliseconds) needed.
    const inOpen =
      cur !== undefined && cur.time >= 0 && t.time >= cur.time && t.time < cur.time + this.#periodMs;
    const start = inOpen ? cur.time : t.time - (t.time % this.#periodMs);
    if (cur && start < cur.time) return undefined; // a late tick: its bar is gone
    if (cur && start === cur.time) {
      if (t.lastPrice > cur.high) cur.high = t.lastPrice;
      if (t.lastPrice < cur.low) cur.low = t.lastPrice;
      cur.close = t.lastPrice;
      cur.volume += Math.max(0, t.volume - cur.lastVolume);
      cur.lastVolume = t.volume;
      return undefined;
    }
    const prevVolume = cur ? cur.lastVolume : t.volume;
    this.#open.set(t.instrument, {
      instrument: t.instrument,
      time: start,
      open: t.lastPrice,
      high: t.lastPrice,
      low: t.lastPrice,
      close: t.lastPrice,
      volume: Math.max(0, t.volume - prevVolume),
      lastVolume: t.volume,
    });
    return cur ? barOf(cur) : undefined;
  }

  /** The bar in progress for an instrument. */
  current(instrument: string): Bar | undefined {
    const c = this.#open.get(instrument);
    return c ? barOf(c) : undefined;
  }
}

/** The bar without the aggregator's bookkeeping (a literal: a rest pattern copies through a slow path). */
function barOf(b: Bar): Bar {
  return {
    instrument: b.instrument,
    time: b.time,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
  };
}
