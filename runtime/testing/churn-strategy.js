/**
 * A test strategy that trades as much as the risk limits allow: on every tick it places a buy or a sell
 * near the market (opening, or closing what it holds) and cancels its working orders every few ticks.
 * Used by the kill test to have orders in every state when the runtime is killed.
 */
export default {
  onInit(ctx) {
    ctx.state.n ??= 0;
  },
  onTick(ctx, tick) {
    ctx.state.n += 1;
    const n = ctx.state.n;
    if (n % 7 === 0) return ctx.cancelAll();
    const pos = ctx.position(tick.instrument);
    const off = ((n % 3) - 1) * ctx.tick;
    if (n % 2 === 0) {
      if (pos.short > 0) ctx.cover(tick.lastPrice + off, 1, { instrument: tick.instrument });
      else ctx.buy(tick.lastPrice + off, 1, { instrument: tick.instrument });
    } else if (pos.long > 0) ctx.sell(tick.lastPrice - off, 1, { instrument: tick.instrument });
    else ctx.short(tick.lastPrice - off + 4, 1, { instrument: tick.instrument });
  },
};
