/**
 * The backtester: the same strategy module that runs live, replayed over recorded ticks (or bars) against
 * the counter simulator's price-time-priority matching engine (simulator/matching), in-process and
 * deterministic. Other participants' liquidity comes from each tick's bid/ask (sizes included): it is put
 * on the book before the strategy sees the tick, so resting orders of the strategy fill when the market
 * trades through them, at their own price; orders the strategy sends trade against that liquidity or rest.
 *
 * `runBacktest` is the replay (`replayBacktest`: what happened, as numbers) followed by its report
 * (report.ts: PnL curve, maximum drawdown, every trade, in exact decimal strings).
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_AU_SPEC, fee, makeCalendar, splitClose, tradingDayMemo } from '../../common/shfe/index.ts';
import { type BookOrderInput, OrderBook } from '../../simulator/matching/index.ts';
import type { Bar, Fill, Offset, Tick } from '../domain/types.ts';
import { legLots, PositionBook } from '../oms/positions.ts';
import { BarAggregator } from '../strategy/bars.ts';
import { validateParams } from '../strategy/params.ts';
import type {
  OrderOptions,
  Strategy,
  StrategyContext,
  StrategyOrder,
  StrategyPosition,
} from '../strategy/sdk.ts';
import { checkTimer, timerPeriod } from '../strategy/timer-rules.ts';
import { isoTimeFormatter } from './clock.ts';
import { OrderRequests, type Queued } from './order-requests.ts';
import { fillAgainstQuote, type QuoteSide } from './quote-fill.ts';
import { EquityColumns, FillColumns, type ReplayRecord } from './replay-record.ts';
import { type BacktestReport, buildReport } from './report.ts';
import { WorkingOrders } from './working-orders.ts';

export type { ReplayRecord } from './replay-record.ts';
export type { BacktestReport, BacktestTrade } from './report.ts';

/** What to replay. Give `ticks`, or `bars` (each bar is replayed as open → high/low → close ticks). */
export interface BacktestOptions {
  /** Path of the strategy module. */
  strategyFile: string;
  ticks?: Tick[];
  bars?: Bar[];
  params?: Record<string, unknown>;
  /** Instruments the strategy trades; default the first instrument in the data. */
  instruments?: string[];
  /** Starting capital in fen, default 100 000 000 (1 000 000 CNY). */
  capital?: number;
  /** Liquidity assumed when a tick carries no sizes, default 10 lots. */
  defaultSize?: number;
}

interface Working extends StrategyOrder {
  timeInForce: 'day' | 'fak' | 'fok';
  origin: 'bt';
}

/** One instrument's book: the strategy's resting orders and the market's quote (two orders, fixed ids). */
interface Market {
  instrument: string;
  book: OrderBook;
  askId: string;
  bidId: string;
  /** The latest tick's quote when it is not on the book yet (see onMarketTick). */
  quote: Tick | undefined;
  /**
   * The market's two orders as they are (price and lots left), kept here whether or not they are on the
   * book: while none of the strategy's orders rests, orders are matched against them without the book
   * (see place), and the book catches up only when an order of the strategy is to rest there.
   */
  ask: QuoteSide;
  bid: QuoteSide;
  /** The book's market orders differ from `ask` and `bid` (they changed off the book). */
  bookBehind: boolean;
  /** The latest tick's last price (marks the position to market). */
  last: number | undefined;
  /** Whether the strategy trades this instrument (gets its ticks and bars). */
  traded: boolean;
  /** The strategy's working orders here: outside `place`, exactly those resting on the book. */
  working: number;
}

/** Shared by every order sent without options (never written to). */
const NO_OPTIONS: OrderOptions = Object.freeze({});

/** The copy of an order a strategy receives (it may keep it): every field, as an object spread gave. */
function orderUpdate(w: Working): Working {
  return {
    clOrdId: w.clOrdId,
    instrument: w.instrument,
    side: w.side,
    offset: w.offset,
    price: w.price,
    quantity: w.quantity,
    filledQuantity: w.filledQuantity,
    status: w.status,
    timeInForce: w.timeInForce,
    origin: w.origin,
  };
}

/**
 * `${time}${separator}${message}` as one flat string. A template literal gives a tree of a string object
 * per piece (more again inside the strategy's own message), and the report keeps every line, so the
 * garbage collector would copy each of those objects twice; `join` copies the characters once into one.
 */
function logLine(time: string, separator: string, message: unknown): string {
  const parts = LOG_LINE_PARTS;
  parts[0] = time;
  parts[1] = separator;
  parts[2] = typeof message === 'string' ? message : `${message}`;
  return parts.join('');
}

/** The pieces `logLine` joins, in one array reused for every line (`join` keeps no reference to it). */
const LOG_LINE_PARTS: string[] = ['', '', ''];

/** Runs one backtest: the replay, then its report. @throws when the module or the parameters are invalid */
export async function runBacktest(o: BacktestOptions): Promise<BacktestReport> {
  return buildReport(await replayBacktest(o));
}

/**
 * The replay alone: loads the strategy, replays the data, and returns what happened unformatted. Apart from
 * `runBacktest` so a benchmark can time the replay without the report, as it times other engines'.
 * @throws when the module or the parameters are invalid
 */
export async function replayBacktest(o: BacktestOptions): Promise<ReplayRecord> {
  const mod = (await import(`${pathToFileURL(o.strategyFile).href}?bt=${Date.now()}`)) as {
    default?: Strategy;
  };
  const loaded = mod.default;
  if (!loaded || typeof loaded !== 'object') throw new Error(`${o.strategyFile}: no default export object`);
  const strategy: Strategy = loaded;
  const pv = validateParams(strategy.params, o.params ?? {});
  if (!pv.ok) throw new Error(`parameters: ${pv.message}`);
  const ticks = o.ticks ?? barsToTicks(o.bars ?? []);
  const instruments = o.instruments ?? [...new Set(ticks.slice(0, 1).map((t) => t.instrument))];
  const capital = o.capital ?? 100_000_000;
  const dayOf = tradingDayMemo(makeCalendar());
  const iso = isoTimeFormatter();
  const spec = DEFAULT_AU_SPEC;
  const markets = new Map<string, Market>();
  /** The market of the previous tick: most files hold one instrument, so the map is rarely asked. */
  let current: Market | undefined;
  const book = new PositionBook(spec);
  const aggregator = new BarAggregator();
  const barsByTime = o.bars ? groupBars(o.bars) : undefined;
  const working = new WorkingOrders<Working>();
  const queue = new OrderRequests();
  const fills = new FillColumns();
  const equity = new EquityColumns();
  const logs: string[] = [];
  const timers = new Map<string, { ms: number; next: number }>();
  // One order input for the book and one fill for the position book, refilled each time: both copy what
  // they keep, and fewer short-lived objects mean fewer young-generation collections.
  const input: BookOrderInput = { id: '', account: '', side: 'buy', price: 0, qty: 0, tif: 'day', stp: true };
  const fill: Fill = {
    tradeId: '',
    clOrdId: '',
    instrument: '',
    side: 'buy',
    offset: 'open',
    price: 0,
    quantity: 0,
    commission: 0,
    time: 0,
    origin: 'bt',
  };
  // The replay's clock, in an object field: a closure variable holding a non-small number is re-boxed on
  // every assignment (once per tick), a field of an object is updated in place.
  const clock = { now: ticks[0]?.time ?? 0, minuteStart: Number.NaN, minuteEnd: Number.NaN };
  let ids = 0;
  let orders = 0;
  let trading = false;
  let day = '';
  let barCount = 0;

  const positions = (instrument: string): StrategyPosition => {
    const p = book.get(instrument);
    return { long: legLots(p.long), short: legLots(p.short) };
  };
  const ctx: StrategyContext = {
    name: 'backtest',
    instruments,
    params: pv.value,
    state: {},
    get trading() {
      return trading;
    },
    tick: spec.tick,
    buy: (price, lots, opts) => enqueue('buy', 'open', price, lots, opts ?? NO_OPTIONS),
    sell: (price, lots, opts) => enqueue('sell', 'close', price, lots, opts ?? NO_OPTIONS),
    short: (price, lots, opts) => enqueue('sell', 'open', price, lots, opts ?? NO_OPTIONS),
    cover: (price, lots, opts) => enqueue('buy', 'close', price, lots, opts ?? NO_OPTIONS),
    cancelAll: () => {
      for (const w of working.copy()) {
        markets.get(w.instrument)?.book.cancel(w.clOrdId);
        w.status = 'cancelled';
        unwork(w);
        strategy.onOrder?.(ctx, orderUpdate(w));
      }
    },
    position: (instrument = instruments[0] ?? '') => positions(instrument),
    setTimer: (name, ms) => {
      checkTimer(name, ms, timers); // the same rules as live, so a strategy fails here as it would there
      timers.set(name, { ms: timerPeriod(ms), next: clock.now + timerPeriod(ms) });
    },
    clearTimer: (name) => timers.delete(name),
    roundToTick: (p) => Math.round(p / spec.tick) * spec.tick,
    log: (m) => logs.push(logLine(iso(clock.now), ' ', m)),
    warn: (m) => logs.push(logLine(iso(clock.now), ' WARN ', m)),
  };

  function enqueue(
    side: 'buy' | 'sell',
    offset: 'open' | 'close',
    price: number,
    lots: number,
    opts: OrderOptions,
  ): void {
    if (!trading) return;
    queue.push(side, offset, price, lots, opts);
  }

  function marketOf(instrument: string): Market {
    let m = markets.get(instrument);
    if (!m) {
      m = {
        instrument,
        book: new OrderBook(),
        askId: `mkt-ask-${instrument}`,
        bidId: `mkt-bid-${instrument}`,
        quote: undefined,
        ask: { price: 0, left: 0 },
        bid: { price: 0, left: 0 },
        bookBehind: false,
        last: undefined,
        traded: instruments.includes(instrument),
        working: 0,
      };
      markets.set(instrument, m);
    }
    return m;
  }

  /** An order of the strategy stops working (filled or cancelled). */
  function unwork(w: Working): void {
    if (working.remove(w)) marketOf(w.instrument).working--;
  }

  function onFill(w: Working, price: number, qty: number): void {
    const tradeId = `T${++ids}`;
    const f = fill;
    f.tradeId = tradeId;
    f.clOrdId = w.clOrdId;
    f.instrument = w.instrument;
    f.side = w.side;
    f.offset = w.offset as Offset;
    f.price = price;
    f.quantity = qty;
    f.commission = fee(f.offset, qty, spec);
    f.time = clock.now;
    const realized = book.applyFill(f);
    w.filledQuantity += qty;
    w.status = w.filledQuantity >= w.quantity ? 'filled' : 'partiallyFilled';
    if (w.status === 'filled') unwork(w);
    fills.add(clock.now, w.instrument, w.side, f.offset, price, qty, f.commission, realized);
    const offset = f.offset;
    strategy.onOrder?.(ctx, orderUpdate(w));
    strategy.onTrade?.(ctx, {
      tradeId,
      clOrdId: w.clOrdId,
      instrument: w.instrument,
      side: w.side,
      offset,
      price,
      quantity: qty,
      time: clock.now,
    });
  }

  function submitQueued(): void {
    for (let q = queue.next(); q !== undefined; q = queue.next()) {
      const instrument = q.opts.instrument ?? instruments[0]!;
      if (q.offset === 'open') {
        place(q, instrument, 'open', q.lots);
        continue;
      }
      const p = book.get(instrument);
      const leg = q.side === 'sell' ? p.long : p.short;
      const split = splitClose(q.lots, leg.today, leg.yesterday);
      if (!split) {
        logs.push(`${iso(clock.now)} refused: INSUFFICIENT_POSITION closing ${q.lots}`);
        continue;
      }
      for (let i = 0; i < split.length; i++) place(q, instrument, split[i]!.offset, split[i]!.lots);
    }
  }

  /** One order of a request (a close may need two: close-today and close-yesterday) onto the book. */
  function place(q: Queued, instrument: string, offset: string, lots: number): void {
    orders++;
    const w: Working = {
      clOrdId: `BT-${++ids}`,
      instrument,
      side: q.side,
      offset,
      price: q.price,
      quantity: lots,
      filledQuantity: 0,
      status: 'new',
      timeInForce: q.opts.timeInForce ?? 'day',
      origin: 'bt',
    };
    const market = marketOf(instrument);
    working.add(w);
    market.working++;
    if (market.working === 1 && placeAgainstQuote(market, w, lots)) return;
    if (market.quote) applyQuote(market);
    else if (market.bookBehind) restoreQuote(market);
    input.id = w.clOrdId;
    input.account = 'me';
    input.side = w.side;
    input.price = w.price;
    input.qty = lots;
    input.tif = w.timeInForce;
    const r = market.book.submit(input);
    const fills = r.fills;
    for (let i = 0; i < fills.length; i++) {
      const f = fills[i]!;
      if (f.makerId === market.askId) market.ask.left -= f.qty;
      else if (f.makerId === market.bidId) market.bid.left -= f.qty;
    }
    for (let i = 0; i < fills.length; i++) onFill(w, fills[i]!.price, fills[i]!.qty);
    if (r.cancelled > 0) {
      w.status = 'cancelled';
      unwork(w);
      strategy.onOrder?.(ctx, orderUpdate(w));
    } else if (r.resting > 0 && r.filled === 0) strategy.onOrder?.(ctx, orderUpdate(w));
  }

  /**
   * The first order of the strategy on a book holding only the market's quote: filled (or cancelled)
   * against the quote without the book when none of it would rest (fillAgainstQuote). The quote kept
   * for this moment replaces the market's orders here as it would on the book; the book follows later
   * (restoreQuote), before anything of the strategy's rests there.
   * @returns false when the book must take the order
   */
  function placeAgainstQuote(m: Market, w: Working, lots: number): boolean {
    if (m.quote && !takeQuote(m)) return false;
    const buy = w.side === 'buy';
    const opposite = buy ? m.ask : m.bid;
    const filled = fillAgainstQuote(buy, w.price, lots, w.timeInForce, opposite);
    if (filled === undefined) return false;
    if (filled > 0) {
      opposite.left -= filled;
      m.bookBehind = true;
      onFill(w, opposite.price, filled);
    }
    if (filled < lots) {
      w.status = 'cancelled';
      unwork(w);
      strategy.onOrder?.(ctx, orderUpdate(w));
    }
    return true;
  }

  /**
   * The kept quote becomes the market's orders off the book (see placeAgainstQuote).
   * @returns false, keeping the quote, when the book would refuse its prices or sizes (then applyQuote
   *   fails as it always did)
   */
  function takeQuote(m: Market): boolean {
    const t = m.quote!;
    const ask = quoteAsk(t);
    const bid = quoteBid(t, ask);
    const askLots = quoteLots(t.askSize);
    const bidLots = quoteLots(t.bidSize);
    if (!(isBookable(ask) && isBookable(bid) && isBookable(askLots) && isBookable(bidLots))) return false;
    m.quote = undefined;
    m.ask.price = ask;
    m.ask.left = askLots;
    m.bid.price = bid;
    m.bid.left = bidLots;
    m.bookBehind = true;
    return true;
  }

  /** The book's market orders made what `ask` and `bid` say, before an order of the strategy rests there. */
  function restoreQuote(m: Market): void {
    m.bookBehind = false;
    const b = m.book;
    b.cancel(m.askId);
    b.cancel(m.bidId);
    // Nothing of the strategy rests here, so neither can trade; the ask first, as applyQuote places them.
    if (m.ask.left > 0) placeMarket(m, m.askId, 'sell', m.ask.price, m.ask.left);
    if (m.bid.left > 0) placeMarket(m, m.bidId, 'buy', m.bid.price, m.bid.left);
  }

  /**
   * A tick's quote replaces the market's orders on the book. Applied at once when orders of the strategy
   * rest there (the new quote may trade through them); otherwise nothing can trade with the quote until the
   * strategy sends an order, so it is kept and applied just before that order (submitQueued). The book the
   * strategy's orders meet is the same either way, but most ticks no longer cancel and re-place two orders.
   */
  function onMarketTick(m: Market, t: Tick): void {
    m.quote = t;
    m.last = t.lastPrice;
    if (m.working > 0) applyQuote(m);
  }

  function applyQuote(m: Market): void {
    const t = m.quote!;
    m.quote = undefined;
    m.bookBehind = false;
    const b = m.book;
    b.cancel(m.askId);
    b.cancel(m.bidId);
    const ask = quoteAsk(t);
    // The ask first, then the bid: the order the strategy's resting orders have always been met in.
    placeMarket(m, m.askId, 'sell', ask, quoteLots(t.askSize));
    placeMarket(m, m.bidId, 'buy', quoteBid(t, ask), quoteLots(t.bidSize));
  }

  // The market's orders a tick's quote stands for, the same whether they go on the book (applyQuote) or are
  // kept beside it (takeQuote): its ask, or the last price; its bid, or a tick under the last price, and
  // always a tick under the ask; its sizes, or `defaultSize` lots, at least one.
  function quoteAsk(t: Tick): number {
    return t.askPrice ?? t.lastPrice;
  }
  function quoteBid(t: Tick, ask: number): number {
    return Math.min(t.bidPrice ?? t.lastPrice - spec.tick, ask - spec.tick);
  }
  function quoteLots(size: number | undefined): number {
    return Math.max(1, size ?? o.defaultSize ?? 10);
  }

  function placeMarket(m: Market, id: string, side: 'buy' | 'sell', price: number, qty: number): void {
    input.id = id;
    input.account = 'market';
    input.side = side;
    input.price = price;
    input.qty = Math.max(1, qty);
    input.tif = 'day';
    const r = m.book.submit(input);
    // What is left of it rests on the book (the strategy's resting orders it met took the rest).
    const kept = side === 'sell' ? m.ask : m.bid;
    kept.price = price;
    kept.left = r.resting;
    for (const f of r.fills) {
      const w = working.find(f.makerId);
      if (w) onFill(w, f.price, f.qty);
    }
  }

  function sample(): void {
    let unrealized = 0;
    let realized = 0;
    let commission = 0;
    for (const p of book.all()) {
      unrealized += book.unrealized(p.instrument, markets.get(p.instrument)?.last);
      realized += p.realizedPnl;
      commission += p.commission;
    }
    equity.add(clock.now, capital + cumRealized + realized - cumCommission - commission + unrealized);
  }

  /**
   * A tick in another minute than the last: the trading day can change only here (its edges are whole
   * minutes). Apart from the tick loop, and called too seldom to be compiled into it, so that the first
   * day roll deoptimises this small function, not the loop.
   */
  function newMinute(now: number): void {
    clock.minuteStart = Math.floor(now / 60_000) * 60_000;
    clock.minuteEnd = clock.minuteStart + 60_000;
    const d = dayOf(now);
    if (d === day) return;
    if (day !== '') {
      for (const p of book.all()) {
        cumRealized += p.realizedPnl;
        cumCommission += p.commission;
      }
      book.rollDay();
    }
    day = d;
  }

  // Realized PnL and fees are reset by a day roll, so keep running totals across days.
  let cumRealized = 0;
  let cumCommission = 0;
  const started = performance.now();
  await strategy.onInit?.(ctx);
  await strategy.onStart?.(ctx);
  trading = true;
  // Indexed loops on the hot path: before the optimising compiler takes over, `for…of` allocates an
  // iterator result per element.
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i]!;
    const now = t.time;
    clock.now = now;
    if (!(now >= clock.minuteStart && now < clock.minuteEnd)) newMinute(now); // (a NaN time: every tick)
    if (current === undefined || current.instrument !== t.instrument) current = marketOf(t.instrument);
    const market = current;
    onMarketTick(market, t);
    if (timers.size > 0)
      for (const [name, tm] of timers)
        if (tm.next <= now) {
          tm.next = now + tm.ms;
          strategy.onTimer?.(ctx, name);
          submitQueued();
        }
    if (market.traded) {
      const bar = barsByTime ? barsByTime.get(`${t.instrument}|${t.time}`) : aggregator.add(t);
      if (bar) {
        barCount++;
        strategy.onBar?.(ctx, bar);
        submitQueued();
        sample();
      }
      strategy.onTick?.(ctx, t);
      submitQueued();
    }
  }
  trading = false;
  await strategy.onStop?.(ctx);
  sample();
  const elapsed = (performance.now() - started) / 1000;
  let realized = cumRealized;
  let commission = cumCommission;
  for (const p of book.all()) {
    realized += p.realizedPnl;
    commission += p.commission;
  }
  return {
    strategyFile: o.strategyFile,
    params: pv.value,
    capital,
    ticks: ticks.length,
    bars: barCount,
    orders,
    realizedPnl: realized,
    commission,
    replaySeconds: elapsed,
    fills,
    equity,
    logs,
  };
}

/** A price or size the matching engine takes: a positive safe integer. */
function isBookable(n: number): boolean {
  return n > 0 && Number.isSafeInteger(n);
}

/** Bars replayed as ticks: open, then the extreme nearer the open, the other extreme, close. */
export function barsToTicks(bars: readonly Bar[]): Tick[] {
  const out: Tick[] = [];
  for (const b of bars) {
    const path = b.close >= b.open ? [b.open, b.low, b.high, b.close] : [b.open, b.high, b.low, b.close];
    for (const [i, p] of path.entries())
      out.push({
        instrument: b.instrument,
        time: b.time + (i === 3 ? 59_999 : i * 15_000),
        lastPrice: p,
        volume: b.volume,
      });
  }
  return out;
}

function groupBars(bars: readonly Bar[]): Map<string, Bar> {
  // A file bar is delivered on its last synthetic tick (its close), when it is complete.
  return new Map(bars.map((b) => [`${b.instrument}|${b.time + 59_999}`, b]));
}
