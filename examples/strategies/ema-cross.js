/**
 * EMA crossover — the classic trend-following sample.
 *
 * Two exponential moving averages of the close: when the fast one crosses above the slow one the market is
 * turning up, so we go long; when it crosses below, we go short. One position at a time, `lots` in size.
 *
 * Written against Aurum's strategy SDK (runtime/strategy/sdk.ts). Every callback is optional; this one uses
 * onInit, onBar (or onTick), onTrade and onStop. Prices are integer cents per gram (61234 = 612.34 CNY/g).
 * Runs unchanged live (against the broker's counter) and in the backtester.
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

  /** Updates both averages with a new price and trades on a crossover. */
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
    if (prevDiff <= 0 && diff > 0) this.goLong(ctx, price);
    else if (prevDiff >= 0 && diff < 0) this.goShort(ctx, price);
  },

  goLong(ctx, price) {
    const pos = ctx.position();
    const px = ctx.roundToTick(price + ctx.params.slippageTicks * ctx.tick);
    ctx.cancelAll(); // never leave a stale order working against the new signal
    if (pos.short > 0) ctx.cover(px, pos.short);
    if (pos.long === 0) ctx.buy(px, ctx.params.lots);
    ctx.log(`fast crossed above slow at ${price / 100}: long`);
  },

  goShort(ctx, price) {
    const pos = ctx.position();
    const px = ctx.roundToTick(price - ctx.params.slippageTicks * ctx.tick);
    ctx.cancelAll();
    if (pos.long > 0) ctx.sell(px, pos.long);
    if (pos.short === 0) ctx.short(px, ctx.params.lots);
    ctx.log(`fast crossed below slow at ${price / 100}: short`);
  },

  onTrade(ctx, trade) {
    ctx.log(`filled ${trade.side} ${trade.offset} ${trade.quantity} @ ${trade.price / 100}`);
  },

  onStop(ctx) {
    // Leave positions alone (the investor decides), but do not leave orders working.
    ctx.cancelAll();
  },
};

/** One EMA step; the first sample seeds the average. */
function ema(prev, price, length) {
  if (prev === null) return price;
  const k = 2 / (length + 1);
  return prev + k * (price - prev);
}
