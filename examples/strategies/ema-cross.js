/**
 * EMA crossover — the classic trend-following sample.
 *
 * Two exponential moving averages of the close: when the fast one crosses above the slow one the market is
 * turning up, so we go long; when it crosses below, we go short. One position at a time, `lots` in size.
 *
 * Orders are asynchronous: an order's acknowledgement, fills or refusal reach the strategy later — much later
 * when the machine is busy. So besides its filled position the strategy keeps a small book of its orders in
 * flight (fed by onOrder) and trades toward a target: it never sends an entry while another entry is
 * working, never closes lots that a working order is already closing, and splits a close into orders of at
 * most `maxOrderLots` (the platform refuses bigger ones), so a position that did grow can always be closed.
 *
 * Written against Aurum's strategy SDK (runtime/strategy/sdk.ts). Every callback is optional; this one uses
 * onInit, onBar (or onTick), onOrder, onTrade and onStop. Prices are integer cents per gram (61234 = 612.34
 * CNY/g). Runs unchanged live (against the broker's counter) and in the backtester.
 */
export default {
  // Declared parameters: validated before the strategy sees them, shown to the investor as a form.
  params: {
    fast: { type: 'integer', default: 12, minimum: 2, description: 'fast EMA length (bars)' },
    slow: { type: 'integer', default: 26, minimum: 3, description: 'slow EMA length (bars)' },
    lots: { type: 'integer', default: 1, minimum: 1, maximum: 5, description: 'position size in lots' },
    // Pay this many ticks through the close so the limit order trades (SHFE has no market orders).
    slippageTicks: { type: 'integer', default: 2, minimum: 0, maximum: 20 },
    // Feed the averages with every tick instead of 1-minute bars (faster signals; handy on a simulator).
    useTicks: { type: 'boolean', default: false },
    // The platform's risk.maxOrderLots: closes are split into orders of at most this many lots.
    maxOrderLots: { type: 'integer', default: 5, minimum: 1 },
  },

  onInit(ctx) {
    // ctx.state persists across restarts and hot reloads; only initialise what is missing.
    ctx.state.fastEma ??= null;
    ctx.state.slowEma ??= null;
    ctx.state.samples ??= 0;
    ctx.log(`ema-cross ${ctx.params.fast}/${ctx.params.slow} on ${ctx.instruments.join(', ')}`);
  },

  onBar(ctx, bar) {
    if (!ctx.params.useTicks) this.update(ctx, bar.close);
  },

  onTick(ctx, tick) {
    if (ctx.params.useTicks) this.update(ctx, tick.lastPrice);
  },

  /** Updates both averages with a new price; a crossover sets a new target. */
  update(ctx, price) {
    const { fast, slow } = ctx.params;
    const s = ctx.state;
    const prevDiff = s.fastEma === null ? null : s.fastEma - s.slowEma;
    s.fastEma = ema(s.fastEma, price, fast);
    s.slowEma = ema(s.slowEma, price, slow);
    s.samples += 1;
    // Warm-up: the slow average means nothing until it has seen about `slow` samples.
    if (s.samples < slow || prevDiff === null) return;
    const diff = s.fastEma - s.slowEma;
    if (prevDiff <= 0 && diff > 0) this.signal(ctx, price, 'buy', 'fast crossed above slow: long');
    else if (prevDiff >= 0 && diff < 0) this.signal(ctx, price, 'sell', 'fast crossed below slow: short');
  },

  /** A crossover: the target becomes `lots` on `side` ('buy' = long, 'sell' = short) at this price. */
  signal(ctx, price, side, why) {
    const book = inFlight(ctx);
    const slip = ctx.params.slippageTicks * ctx.tick;
    book.target = { side, price: ctx.roundToTick(side === 'buy' ? price + slip : price - slip) };
    // Never leave a stale order working against the new signal (it counts as working until confirmed).
    if (book.known.size > 0 || book.unacked.length > 0) ctx.cancelAll();
    this.rebalance(ctx);
    ctx.log(`${why} at ${price / 100}`);
  },

  /** Trades toward the target, counting orders in flight; idempotent (a repeat call sends nothing). */
  rebalance(ctx) {
    const book = inFlight(ctx);
    if (!book.target || !ctx.trading) return;
    const { side, price } = book.target;
    const pos = ctx.position();
    const opposite = side === 'buy' ? pos.short : pos.long;
    const held = side === 'buy' ? pos.long : pos.short;
    // Close the other side's lots not already being closed; enter only if flat with no entry working.
    const max = ctx.params.maxOrderLots;
    for (let left = opposite - working(book, side, false); left > 0; left -= max)
      send(ctx, book, side, false, price, Math.min(left, max));
    if (held === 0 && working(book, side, true) === 0) send(ctx, book, side, true, price, ctx.params.lots);
  },

  onOrder(ctx, order) {
    const book = inFlight(ctx);
    const open = order.offset === 'open';
    let entry = book.known.get(order.clOrdId);
    if (!entry) {
      // First news of an order: it answers the oldest unanswered request of the same kind (the runtime
      // handles requests in order; a close may come back as two orders, close-today and close-yesterday).
      const unacked = book.unacked;
      for (let i = 0; i < unacked.length; i++) {
        const u = unacked[i];
        if (u.side !== order.side || u.open !== open) continue;
        u.leaves -= order.quantity;
        if (u.leaves <= 0) unacked.splice(i, 1);
        break;
      }
      entry = { side: order.side, open, leaves: 0 };
    }
    entry.leaves = order.quantity - order.filledQuantity;
    // Finished orders are forgotten; so is a refused request (it has no client order id).
    const done = order.status === 'filled' || order.status === 'cancelled' || order.status === 'rejected';
    if (done || !order.clOrdId) book.known.delete(order.clOrdId);
    else book.known.set(order.clOrdId, entry);
    // An order that finished may leave the position off target (a fill that beat our cancel, a cancel that
    // beat a fill): trade toward it again. Not after a refusal, which would only be refused again.
    if (order.status === 'filled' || order.status === 'cancelled') this.rebalance(ctx);
  },

  onTrade(ctx, trade) {
    ctx.log(`filled ${trade.side} ${trade.offset} ${trade.quantity} @ ${trade.price / 100}`);
  },

  // Leave positions alone (the investor decides), but do not leave orders working.
  onStop(ctx) {
    ctx.cancelAll();
  },
};

/**
 * Per context: the `target` (side and price of the last signal), orders in flight `known` by client order id
 * and `unacked` requests. In memory only: after a restart, the next signal sets a new target.
 */
const books = new WeakMap();
function inFlight(ctx) {
  if (!books.has(ctx)) books.set(ctx, { target: undefined, known: new Map(), unacked: [] });
  return books.get(ctx);
}

/** Sends an order (opening or closing, on `side`) and remembers it until the runtime answers. */
function send(ctx, book, side, open, price, lots) {
  book.unacked.push({ side, open, leaves: lots }); // first: an answer may come back synchronously
  if (open) side === 'buy' ? ctx.buy(price, lots) : ctx.short(price, lots);
  else side === 'buy' ? ctx.cover(price, lots) : ctx.sell(price, lots);
}

/** Lots still to fill of this side's opening (`open`) or closing orders in flight. */
function working(book, side, open) {
  let n = 0;
  // Cheap when nothing is in flight, the usual case: no copies of the map or the list.
  if (book.known.size > 0)
    for (const o of book.known.values()) if (o.side === side && o.open === open) n += o.leaves;
  const unacked = book.unacked;
  for (let i = 0; i < unacked.length; i++)
    if (unacked[i].side === side && unacked[i].open === open) n += unacked[i].leaves;
  return n;
}

/** One EMA step; the first sample seeds the average. */
function ema(prev, price, length) {
  return prev === null ? price : prev + (2 / (length + 1)) * (price - prev);
}
