/**
 * The benchmark strategy's signal rule as a plain function: the referee that tells whether Aurum, vn.py and
 * NautilusTrader ran the same strategy over the same ticks (each must report the same number of signals).
 *
 * It is the tick mode of Aurum's sample (examples/strategies/ema-cross.js), also ported in bench/peers/*.py:
 * - price = the last trade price in integer cents;
 * - EMA step `prev + k * (price − prev)`, k = 2 / (length + 1), seeded with the first price;
 * - warm-up: no signal before the slow EMA has `slow` samples;
 * - previous diff <= 0 and diff > 0 → go long; previous diff >= 0 and diff < 0 → go short.
 */

/** What the rule saw over a tick sequence. */
export interface SignalCount {
  /** Go-long plus go-short signals. */
  signals: number;
  long: number;
  short: number;
}

/** One decision of the rule. */
export interface SignalEvent {
  /** Index of the tick that caused it. */
  index: number;
  side: 'long' | 'short';
  /** That tick's last price (cents). */
  lastPrice: number;
}

/**
 * The sample strategy's decisions, in order.
 * @param ticks snapshots in time order (only `lastPrice` is read)
 * @param fast fast EMA length (default 12, the sample's default)
 * @param slow slow EMA length (default 26)
 */
export function signalEvents(ticks: Iterable<{ lastPrice: number }>, fast = 12, slow = 26): SignalEvent[] {
  const kf = 2 / (fast + 1);
  const ks = 2 / (slow + 1);
  let f: number | null = null;
  let s = 0;
  let samples = 0;
  let index = -1;
  const out: SignalEvent[] = [];
  for (const t of ticks) {
    index++;
    const p = t.lastPrice;
    const prevDiff = f === null ? null : f - s;
    if (f === null) {
      f = p;
      s = p;
    } else {
      f = f + kf * (p - f);
      s = s + ks * (p - s);
    }
    samples++;
    if (samples < slow || prevDiff === null) continue;
    const diff = f - s;
    if (prevDiff <= 0 && diff > 0) out.push({ index, side: 'long', lastPrice: p });
    else if (prevDiff >= 0 && diff < 0) out.push({ index, side: 'short', lastPrice: p });
  }
  return out;
}

/**
 * Counts the sample strategy's signals.
 * @param ticks snapshots in time order (only `lastPrice` is read)
 * @param fast fast EMA length (default 12, the sample's default)
 * @param slow slow EMA length (default 26)
 */
export function countSignals(ticks: Iterable<{ lastPrice: number }>, fast = 12, slow = 26): SignalCount {
  let long = 0;
  let short = 0;
  for (const e of signalEvents(ticks, fast, slow))
    if (e.side === 'long') long++;
    else short++;
  return { signals: long + short, long, short };
}
