/**
 * A deterministic SHFE gold tick stream for benchmarks: the same seed and count give the same bytes on every
 * machine, so Aurum, vn.py and NautilusTrader replay exactly the same market.
 *
 * Model: level-1 snapshots twice a second (as SHFE publishes) during continuous trading only (day and night
 * sessions from `common/shfe`), a mid price doing a weakly mean-reverting random walk around 600.00 CNY/g on
 * the 0.02 grid (about 1 tick of noise per snapshot, i.e. roughly 1% a day, like gold), a 1-tick spread most
 * of the time and 2 ticks sometimes, the last trade at the bid or the ask, and random sizes.
 *
 * CSV (header line first), one snapshot per line, in the column names the runtime's backtester reads
 * (runtime/backtest/csv.ts):
 * `time,instrument,bid,ask,bidSize,askSize,last,volume`
 * - `time`: epoch milliseconds (UTC);
 * - prices: CNY per gram with exactly two decimals (`600.02`), always on the 0.02 grid;
 * - sizes in lots; `volume` is the cumulative volume of the trading day in lots (as CTP and vn.py report it),
 *   so the lots traded at a snapshot are the difference to the previous one (or the value itself after a
 *   trading-day change).
 */
import {
  AU_SESSIONS,
  addDays,
  beijingToEpoch,
  formatPrice,
  makeCalendar,
  type Price,
  sessionPhase,
  tradingDayOf,
} from '../../common/shfe/index.ts';
import { gaussian, seededRandom } from './random.ts';

/** One level-1 snapshot, shaped like the runtime's domain `Tick`. Prices in integer cents per gram. */
export interface Tick {
  instrument: string;
  /** Epoch milliseconds. */
  time: number;
  /** Last trade price. */
  lastPrice: Price;
  bidPrice: Price;
  askPrice: Price;
  bidSize: number;
  askSize: number;
  /** Cumulative lots traded in the trading day. */
  volume: number;
}

/** Options of {@link generateTicks}; every field has a default. */
export interface TickOptions {
  /** Number of snapshots. Default 200,000. */
  count?: number;
  /** PRNG seed. Default 20260302. */
  seed?: number;
  /** Instrument id. Default `au2606`. */
  instrument?: string;
  /** First Beijing calendar date (`YYYY-MM-DD`), whose day session comes first. Default `2026-03-02` (a Monday). */
  startDate?: string;
  /** Centre of the walk in cents per gram. Default 60000 (600.00 CNY/g). */
  centre?: Price;
  /** Standard deviation of one step, in ticks. Default 1.0. */
  stepTicks?: number;
}

/** The CSV header line (without newline). */
export const TICK_CSV_HEADER = 'time,instrument,bid,ask,bidSize,askSize,last,volume';

const TICK: Price = 2; // 0.02 CNY/g
const SNAPSHOT_MS = 500;

/**
 * Timestamps of continuous trading at 500 ms spacing, in order, starting at `startDate`'s day session.
 * Weekends are skipped through the shared SHFE calendar (no holidays configured).
 */
export function* sessionTimestamps(startDate: string): Generator<number> {
  const cal = makeCalendar();
  for (let date = startDate; ; date = addDays(date, 1)) {
    for (const w of AU_SESSIONS) {
      const end = beijingToEpoch(date, w.end);
      let ts = beijingToEpoch(date, w.start);
      // Skip a whole window at once when it is closed (weekend, no night session).
      if (sessionPhase(cal, ts) !== 'continuous') continue;
      for (; ts < end; ts += SNAPSHOT_MS) yield ts;
    }
  }
}

/**
 * Generates snapshots lazily.
 * @param options see {@link TickOptions}
 */
export function* generateTicks(options: TickOptions = {}): Generator<Tick> {
  const count = options.count ?? 200_000;
  const rnd = seededRandom(options.seed ?? 20260302);
  const instrument = options.instrument ?? 'au2606';
  const centreTicks = Math.round((options.centre ?? 60_000) / TICK);
  const step = options.stepTicks ?? 1.0;
  // The bid in ticks; mean reversion is weak enough that the walk trends for minutes at a time.
  let bidTicks = centreTicks;
  let n = 0;
  let day = '';
  let volume = 0;
  const cal = makeCalendar();
  for (const time of sessionTimestamps(options.startDate ?? '2026-03-02')) {
    if (n++ >= count) return;
    const pull = (centreTicks - bidTicks) * 0.00002;
    bidTicks += Math.round(gaussian(rnd) * step + pull);
    const spread = rnd() < 0.9 ? 1 : 2;
    const bidPrice = bidTicks * TICK;
    const askPrice = (bidTicks + spread) * TICK;
    const bidSize = 1 + Math.floor(rnd() * 50);
    const askSize = 1 + Math.floor(rnd() * 50);
    const lastPrice = rnd() < 0.5 ? bidPrice : askPrice;
    const traded = Math.floor(rnd() * 20);
    const d = tradingDayOf(cal, time);
    if (d !== day) {
      day = d;
      volume = 0;
    }
    volume += traded;
    yield { instrument, time, lastPrice, bidPrice, askPrice, bidSize, askSize, volume };
  }
}

/** One CSV line (no newline) for a snapshot. */
export function tickToCsv(t: Tick): string {
  return `${t.time},${t.instrument},${formatPrice(t.bidPrice)},${formatPrice(t.askPrice)},${t.bidSize},${t.askSize},${formatPrice(t.lastPrice)},${t.volume}`;
}

/**
 * Parses the CSV text written by {@link tickToCsv} (header required). Prices are read exactly (no floats).
 * @throws Error naming the line when a line is malformed
 */
export function parseTickCsv(text: string): Tick[] {
  const lines = text.split('\n');
  if (lines[0] !== TICK_CSV_HEADER) throw new Error(`not a tick file: header "${lines[0]}"`);
  const out: Tick[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const f = line.split(',');
    if (f.length !== 8) throw new Error(`tick file line ${i + 1}: expected 8 fields, got ${f.length}`);
    out.push({
      instrument: f[1] as string,
      time: Number(f[0]),
      lastPrice: cents(f[6] as string, i),
      bidPrice: cents(f[2] as string, i),
      askPrice: cents(f[3] as string, i),
      bidSize: Number(f[4]),
      askSize: Number(f[5]),
      volume: Number(f[7]),
    });
  }
  return out;
}

/** `600.02` → 60002 without a float: the generator always writes exactly two decimals. */
function cents(text: string, line: number): Price {
  const dot = text.length - 3;
  if (dot < 1 || text[dot] !== '.') throw new Error(`tick file line ${line + 1}: bad price "${text}"`);
  const v = Number(text.slice(0, dot)) * 100 + Number(text.slice(dot + 1));
  if (!Number.isSafeInteger(v)) throw new Error(`tick file line ${line + 1}: bad price "${text}"`);
  return v;
}
