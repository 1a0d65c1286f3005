/**
 * A test strategy for the golden reports, not an example: on a fixed cycle of ticks it sends every kind of
 * order the backtester handles differently — FAK and FOK orders that fill, fill partly or not at all, day
 * orders that fill at once, partly, or rest and are met by later quotes, closes split over today and
 * yesterday, orders sent while others rest, and mass cancels — and logs every order update and fill.
 */
export default {
  params: { cycle: { type: 'integer', default: 23, minimum: 20 } },

  onInit(ctx) {
    ctx.state.n = 0;
  },

  onTick(ctx, t) {
    const k = ctx.state.n++ % ctx.params.cycle;
    const ask = t.askPrice ?? t.lastPrice;
    const bid = t.bidPrice ?? t.lastPrice - ctx.tick;
    const pos = ctx.position();
    if (k === 1) ctx.buy(ask + 2 * ctx.tick, 30, { timeInForce: 'fak' }); // more than the ask holds: partly
    if (k === 3) ctx.short(bid, 60, { timeInForce: 'fok' }); // more than the bid holds: nothing
    if (k === 5) ctx.short(bid, 1, { timeInForce: 'fok' });
    if (k === 6) ctx.buy(bid - 4 * ctx.tick, 1, { timeInForce: 'fak' }); // does not reach the ask: cancelled
    if (k === 7) ctx.buy(bid - 2 * ctx.tick, 1); // rests below the bid until the market comes down
    if (k === 8) ctx.buy(ask, 2); // while another rests
    if (k === 10 && pos.long > 0) ctx.sell(bid, Math.min(pos.long, 3));
    if (k === 12) ctx.buy(ask, 40); // more than the ask holds: the rest rests
    if (k === 15) ctx.cancelAll();
    if (k === 17) ctx.short(ask + 6 * ctx.tick, 1); // rests above the ask
    if (k === 18) ctx.short(bid, 2, { timeInForce: 'fak' });
    if (k === 19 && pos.short > 0) ctx.cover(ask, Math.min(pos.short, 2), { timeInForce: 'fak' });
    if (k === 21 && pos.long > 0) ctx.sell(bid - 10 * ctx.tick, pos.long);
    if (k === 22 && pos.short > 0) ctx.cover(ask + 10 * ctx.tick, pos.short);
  },

  onOrder(ctx, o) {
    ctx.log(
      `order ${o.clOrdId} ${o.side} ${o.offset} ${o.price} ${o.filledQuantity}/${o.quantity} ${o.status}`,
    );
  },

  onTrade(ctx, t) {
    ctx.log(`trade ${t.tradeId} ${t.clOrdId} ${t.side} ${t.offset} ${t.quantity} @ ${t.price}`);
  },
};
