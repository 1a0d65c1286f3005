/**
 * A deterministic synthetic tick series (seeded random walk on the tick grid with a slow trend that turns
 * now and then), for tests, demos and benchmarks when no recorded data is at hand.
 */
import type { Bar, Tick } from '../domain/types.ts';

/** Options of {@link syntheticTicks}. */
export interface SyntheticOptions {
  /** Number of ticks. */
  count: number;
  /** Seed, default 1. */
  seed?: number;
  /** Instrument, default `au2606`. */
  instrument?: string;
  /** First price in cents, default 61200. */
  start?: number;
  /** First tick time, default Monday 2026-03-02 09:00 Beijing. */
  startTime?: number;
  /** Milliseconds between ticks, default 500 (SHFE sends about two snapshots a second). */
  intervalMs?: number;
}

/** Generates the series. Prices stay on the 2-cent grid; the spread is one tick. */
export function syntheticTicks(o: SyntheticOptions): Tick[] {
  let seed = (o.seed ?? 1) >>> 0 || 1;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const out: Tick[] = [];
  let px = o.start ?? 61200;
  let drift = 0;
  let volume = 0;
  const t0 = o.startTime ?? Date.UTC(2026, 2, 2, 1, 0, 0);
  const dt = o.intervalMs ?? 500;
  for (let i = 0; i < o.count; i++) {
    if (i % 400 === 0) drift = (rnd() - 0.5) * 0.6;
    const step = Math.round((rnd() - 0.5) * 3 + drift);
    px = Math.max(2, px + step * 2);
    volume += 1 + Math.floor(rnd() * 5);
    out.push({
      instrument: o.instrument ?? 'au2606',
      time: t0 + i * dt,
      lastPrice: px,
      bidPrice: px - 2,
      askPrice: px,
      bidSize: 5 + Math.floor(rnd() * 20),
      askSize: 5 + Math.floor(rnd() * 20),
      volume,
    });
  }
  return out;
}

/**
 * One-minute bars that climb for an hour and fall back for an hour (10 cents a minute), repeating every 120
 * bars from Monday 2026-03-02 09:00 Beijing: a channel for breakout strategies to trade.
 */
export function syntheticChannelBars(count: number): Bar[] {
  return Array.from({ length: count }, (_, i) => {
    const k = i % 120;
    const base = 61000 + (k < 60 ? k * 10 : (120 - k) * 10);
    return {
      instrument: 'au2606',
      time: Date.UTC(2026, 2, 2, 1, 0, 0) + i * 60_000,
      open: base,
      high: base + 6,
      low: base - 6,
      close: base + 2,
      volume: 5,
    };
  });
}
