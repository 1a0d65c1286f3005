/**
 * The strategy SDK: what a strategy author writes against. A strategy is a plain JavaScript or TypeScript
 * module whose default export is an object with optional callbacks (override only what you need, as in
 * vn.py's CtaTemplate):
 *
 * ```js
 * export default {
 *   params: { lots: { type: 'integer', default: 1, minimum: 1 } },
 *   onBar(ctx, bar) { if (bar.close > bar.open) ctx.buy(bar.close, ctx.params.lots); },
 * };
 * ```
 *
 * Prices are integer cents per gram (61234 = 612.34 CNY/g), like everywhere in Aurum; `ctx.roundToTick`
 * puts a computed price on the exchange's grid. Orders sent before the strategy is trading (in `onInit`,
 * during warm-up, or after stop) are held back — dropped with a log line — exactly like vn.py.
 *
 * Each strategy runs in its own worker thread: an exception, an endless loop or a memory blow-up stops that
 * strategy alone, with the reason shown in its status.
 */

/** One declared parameter. Values are validated against this before the strategy sees them. */
export interface ParamSpec {
  type: 'integer' | 'number' | 'string' | 'boolean';
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: readonly unknown[];
  description?: string;
}

/** Market data as a strategy sees it (prices in integer cents per gram). */
export interface StrategyTick {
  instrument: string;
  time: number;
  lastPrice: number;
  bidPrice?: number;
  askPrice?: number;
  bidSize?: number;
  askSize?: number;
  volume: number;
  upperLimit?: number;
  lowerLimit?: number;
}

/** A 1-minute bar (prices in integer cents per gram; `time` = bar open, epoch ms). */
export interface StrategyBar {
  instrument: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** An order update of one of this strategy's orders. */
export interface StrategyOrder {
  clOrdId: string;
  instrument: string;
  side: 'buy' | 'sell';
  offset: string;
  price: number;
  quantity: number;
  filledQuantity: number;
  status: string;
  text?: string;
}

/** A fill of one of this strategy's orders. */
export interface StrategyTrade {
  tradeId: string;
  clOrdId: string;
  instrument: string;
  side: 'buy' | 'sell';
  offset: string;
  price: number;
  quantity: number;
  time: number;
}

/** Net lots this strategy's fills have built (long positive, short positive, separately). */
export interface StrategyPosition {
  long: number;
  short: number;
}

/** Options of an order helper. */
export interface OrderOptions {
  /** Default: the strategy's first instrument. */
  instrument?: string;
  /** `day` (default), `fak` or `fok`. */
  timeInForce?: 'day' | 'fak' | 'fok';
}

/** What a strategy can do. Passed to every callback. */
export interface StrategyContext<P = Record<string, unknown>> {
  readonly name: string;
  readonly instruments: readonly string[];
  /** Validated parameters (defaults filled in). Replaced live when the investor changes them. */
  readonly params: P;
  /** Persistent state: survives restarts and hot reloads. Keep it JSON. */
  state: Record<string, unknown>;
  /** True between onStart and onStop; orders outside are held back. */
  readonly trading: boolean;
  /** Tick size in cents per gram (SHFE gold: 2). */
  readonly tick: number;
  /** Buy to open. */
  buy(price: number, lots: number, opts?: OrderOptions): void;
  /** Sell to close a long (split into close-today/close-yesterday by the runtime). */
  sell(price: number, lots: number, opts?: OrderOptions): void;
  /** Sell to open a short. */
  short(price: number, lots: number, opts?: OrderOptions): void;
  /** Buy to close a short. */
  cover(price: number, lots: number, opts?: OrderOptions): void;
  /** Cancels every working order of this strategy. */
  cancelAll(): void;
  /** This strategy's position (from its own fills). */
  position(instrument?: string): StrategyPosition;
  /**
   * Calls `onTimer(ctx, name)` every `ms` milliseconds (minimum 100, maximum 2^31-1: about 24.8 days) until
   * cleared; setting a name again replaces its timer. At most 64 timers; a bad name or period throws.
   */
  setTimer(name: string, ms: number): void;
  clearTimer(name: string): void;
  /** Rounds a price to the nearest tick. */
  roundToTick(price: number): number;
  /** One line of the strategy's log (kept by the runtime, the last few hundred; at most 4,000 characters each). */
  log(message: string): void;
  warn(message: string): void;
}

/** A strategy module's default export. Every callback is optional. */
export interface Strategy<P = Record<string, unknown>> {
  /** Parameter declarations (validated; shown to the investor as a JSON Schema). */
  params?: Record<string, ParamSpec>;
  onInit?(ctx: StrategyContext<P>): void | Promise<void>;
  onStart?(ctx: StrategyContext<P>): void | Promise<void>;
  onStop?(ctx: StrategyContext<P>): void | Promise<void>;
  onTick?(ctx: StrategyContext<P>, tick: StrategyTick): void;
  onBar?(ctx: StrategyContext<P>, bar: StrategyBar): void;
  onOrder?(ctx: StrategyContext<P>, order: StrategyOrder): void;
  onTrade?(ctx: StrategyContext<P>, trade: StrategyTrade): void;
  onTimer?(ctx: StrategyContext<P>, name: string): void;
}

/** Identity helper that gives TypeScript authors types: `export default defineStrategy({...})`. */
export function defineStrategy<P = Record<string, unknown>>(s: Strategy<P>): Strategy<P> {
  return s;
}
