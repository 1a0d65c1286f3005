/**
 * What a replay recorded, before anything is formatted: the fills and the equity samples as plain numbers,
 * one array per field. The report (report.ts) turns them into decimal strings and ISO times afterwards, so
 * the replay can be timed without its report, as other engines' replays are (vn.py's `run_backtesting`
 * keeps its trades as objects and computes its statistics in a separate call). Arrays of numbers also keep
 * the replay's young generation small: no record object or string per fill while the ticks are flowing.
 */
import type { Offset } from '../domain/types.ts';

/** The strategy's fills, in the order they happened. Money in fen, times in epoch milliseconds. */
export class FillColumns {
  readonly time: number[] = [];
  readonly instrument: string[] = [];
  readonly side: Array<'buy' | 'sell'> = [];
  readonly offset: Offset[] = [];
  readonly price: number[] = [];
  readonly quantity: number[] = [];
  readonly commission: number[] = [];
  readonly realizedPnl: number[] = [];

  get length(): number {
    return this.time.length;
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
    this.time.push(time);
    this.instrument.push(instrument);
    this.side.push(side);
    this.offset.push(offset);
    this.price.push(price);
    this.quantity.push(quantity);
    this.commission.push(commission);
    this.realizedPnl.push(realizedPnl);
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
