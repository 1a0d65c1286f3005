/**
 * Channel breakout (Donchian) on 1-minute bars — a second, different sample.
 *
 * Keeps the highest high and lowest low of the last `window` bars. A close above the channel buys, a close
 * below sells short; an open position is closed when price comes back through the middle of the channel.
 * A timer logs the channel every `reportSeconds` to show timers in use. Prices are integer cents per gram.
 */
export default {
  params: {
    window: { type: 'integer', default: 20, minimum: 2, maximum: 500, description: 'bars in the channel' },
    lots: { type: 'integer', default: 1, minimum: 1, maximum: 5 },
    reportSeconds: { type: 'integer', default: 60, minimum: 1 },
  },

  onInit(ctx) {
    ctx.state.highs ??= [];
    ctx.state.lows ??= [];
  },

  onStart(ctx) {
    ctx.setTimer('report', ctx.params.reportSeconds * 1000);
  },

  onTimer(ctx, name) {
    if (name !== 'report') return;
    const { highs, lows } = ctx.state;
    if (highs.length) ctx.log(`channel ${Math.min(...lows) / 100} – ${Math.max(...highs) / 100}`);
  },

  onBar(ctx, bar) {
    const s = ctx.state;
    const full = s.highs.length >= ctx.params.window;
    const top = full ? Math.max(...s.highs) : Infinity;
    const bottom = full ? Math.min(...s.lows) : -Infinity;
    const middle = (top + bottom) / 2;
    const pos = ctx.position();

    if (pos.long > 0 && bar.close < middle) ctx.sell(bar.close, pos.long);
    else if (pos.short > 0 && bar.close > middle) ctx.cover(bar.close, pos.short);
    else if (pos.long === 0 && pos.short === 0) {
      if (bar.close > top) ctx.buy(bar.close, ctx.params.lots);
      else if (bar.close < bottom) ctx.short(bar.close, ctx.params.lots);
    }

    // Slide the window after deciding, so a bar is compared with the channel before it.
    s.highs.push(bar.high);
    s.lows.push(bar.low);
    if (s.highs.length > ctx.params.window) {
      s.highs.shift();
      s.lows.shift();
    }
  },

  onStop(ctx) {
    ctx.clearTimer('report');
    ctx.cancelAll();
  },
};
