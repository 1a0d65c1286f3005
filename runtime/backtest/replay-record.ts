/**
 * What a replay recorded, before anything is formatted: the fills and the equity samples as plain numbers.
 * The report (report.ts) turns them into decimal strings and ISO times afterwards, so
 * the replay can be timed without its report, as other engines' replays are (vn.py's `run_backtesting`
 * keeps its trades as objects and computes its statistics in a separate call). Numbers also keep the
 * replay's young generation small: no record object or string per fill while the ticks are flowing.
 */
import type { Offset } from '../domain/types.ts';

/** Numbers kept per fill, in this order. */
const TIME = 0;
const PRICE = 1;
const QUANTITY = 2;
const COMMISSION = 3;
const REALIZED = 4;
/** Instrument, side and offset as one number: index of the instrument × 8 + side × 4 + offset. */
const KIND = 5;
const STRIDE = 6;

const SIDES: ReadonlyArray<'buy' | 'sell'> = ['buy', 'sell'];
const OFFSETS: readonly Offset[] = ['open', 'close', 'close-today', 'close-yesterday'];

/**
 * The strategy's fills, in the order they happened. Money in fen, times in epoch milliseconds. Every
 * field is a number in one typed array (the strings are coded: few instruments, two sides, four
 * offsets), grown by doubling: its memory is outside the garbage-collected heap, so neither the fills
 * nor the copies left behind by growing are copied by the collector, as they were in eight arrays.
 */
export class FillColumns {
  #numbers = new Float64Array(STRIDE * 1024);
  #length = 0;
  readonly #instruments: string[] = [];

  get length(): number {
    return this.#length;
  }

  add(
    time: number,
    instrument: string,
    side: 'buy' | 'sell',
    offset: Offset,
    price: number,
    quantity: number,
    commission: number,
    realizedPnl: number,
  ): void {
    const at = this.#length * STRIDE;
    if (at === this.#numbers.length) {
      const grown = new Float64Array(this.#numbers.length * 2);
      grown.set(this.#numbers);
      this.#numbers = grown;
    }
    const o = OFFSETS.indexOf(offset);
    if (o < 0) throw new RangeError(`unknown offset ${offset}`);
    let i = this.#instruments.indexOf(instrument);
    if (i < 0) i = this.#instruments.push(instrument) - 1;
    const n = this.#numbers;
    n[at + TIME] = time;
    n[at + PRICE] = price;
    n[at + QUANTITY] = quantity;
    n[at + COMMISSION] = commission;
    n[at + REALIZED] = realizedPnl;
    n[at + KIND] = i * 8 + (side === 'buy' ? 0 : 4) + o;
    this.#length++;
  }

  time(i: number): number {
    return this.#numbers[i * STRIDE + TIME]!;
  }

  price(i: number): number {
    return this.#numbers[i * STRIDE + PRICE]!;
  }

  quantity(i: number): number {
    return this.#numbers[i * STRIDE + QUANTITY]!;
  }

  commission(i: number): number {
    return this.#numbers[i * STRIDE + COMMISSION]!;
  }

  realizedPnl(i: number): number {
    return this.#numbers[i * STRIDE + REALIZED]!;
  }

  instrument(i: number): string {
    return this.#instruments[Math.floor(this.#numbers[i * STRIDE + KIND]! / 8)]!;
  }

  side(i: number): 'buy' | 'sell' {
    return SIDES[Math.floor(this.#numbers[i * STRIDE + KIND]! / 4) % 2]!;
  }

  offset(i: number): Offset {
    return OFFSETS[this.#numbers[i * STRIDE + KIND]! % 4]!;
  }
}

/** Equity samples (one per bar and one at the end): time in epoch milliseconds, equity in fen. */
export class EquityColumns {
  readonly time: number[] = [];
  readonly equity: number[] = [];

  get length(): number {
    return this.time.length;
  }

  add(time: number, equity: number): void {
    this.time.push(time);
    this.equity.push(equity);
  }
}

/** One replay, unformatted. */
export interface ReplayRecord {
  strategyFile: string;
  /** The validated parameters the strategy ran with. */
  params: Record<string, unknown>;
  /** Starting capital in fen. */
  capital: number;
  ticks: number;
  bars: number;
  orders: number;
  /** Realized PnL and commission over the whole replay (all trading days), in fen. */
  realizedPnl: number;
  commission: number;
  /** Wall-clock seconds from the strategy's onInit to its onStop (the replay). */
  replaySeconds: number;
  fills: FillColumns;
  equity: EquityColumns;
  /**
   * The strategy's log lines, timestamped as it wrote them. Part of the replay, not of the report: the
   * strategy's own output, as vn.py's backtester timestamps `write_log` lines during `run_backtesting`.
   */
  logs: string[];
}
