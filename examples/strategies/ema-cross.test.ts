/**
 * The EMA sample against a laggy runtime: acknowledgements, fills and refusals reach it ticks after its
 * orders, and cancels arrive too late to stop anything (the counter fills first) — the conditions under
 * which the earlier version built a multi-lot position and then sent a close the risk limits refuse.
 * The strategy is driven directly with a scripted context (no worker, no engine): fast and deterministic.
 */
import { describe, expect, it } from 'vitest';
import type { Strategy, StrategyContext, StrategyOrder } from '../../runtime/strategy/sdk.ts';

const { default: ema } = (await import('./ema-cross.js')) as { default: Strategy };

interface Sent {
  clOrdId: string;
  side: 'buy' | 'sell';
  offset: 'open' | 'close';
  price: number;
  quantity: number;
}

/**
 * A context plus a runtime that answers every order `lag` ticks late: acknowledged, then filled whole
 * (or refused, for the orders `refuse` picks). `cancelAll` is recorded and has no effect.
 */
function laggyRuntime(opts: { lag: number; refuse?: (o: Sent) => boolean; start?: { long: number } }) {
  const pos = { long: opts.start?.long ?? 0, short: 0 };
  const sent: Sent[] = [];
  const due: Array<{ at: number; run: () => void }> = [];
  let now = 0;
  let ids = 0;
  let cancelAlls = 0;
  const update = (o: Sent, status: string, filled: number): StrategyOrder => ({
    ...o,
    filledQuantity: filled,
    status,
    instrument: 'au2606',
  });
  const order = (side: Sent['side'], offset: Sent['offset']) => (price: number, quantity: number) => {
    const o: Sent = { clOrdId: `C${++ids}`, side, offset, price, quantity };
    sent.push(o);
    if (opts.refuse?.(o)) {
      // Refused by the risk checks: an update without a client order id (engine.ts does the same).
      due.push({
        at: now + opts.lag,
        run: () => ema.onOrder?.(ctx, update({ ...o, clOrdId: '' }, 'rejected', 0)),
      });
      return;
    }
    due.push({ at: now + 1, run: () => ema.onOrder?.(ctx, update(o, 'pendingNew', 0)) });
    due.push({
      at: now + opts.lag,
      run: () => {
        // As the worker does: the position moves with the trade, then the order update follows.
        const leg = (offset === 'open') === (side === 'buy') ? 'long' : 'short';
        pos[leg] += offset === 'open' ? quantity : -quantity;
        expect(pos[leg]).toBeGreaterThanOrEqual(0); // never closes more than is held
        ema.onOrder?.(ctx, update(o, 'filled', quantity));
      },
    });
  };
  const ctx = {
    name: 'ema',
    instruments: ['au2606'],
    params: { fast: 2, slow: 3, lots: 1, slippageTicks: 2, useTicks: true, maxOrderLots: 5 },
    state: {},
    trading: true,
    tick: 2,
    buy: order('buy', 'open'),
    sell: order('sell', 'close'),
    short: order('sell', 'open'),
    cover: order('buy', 'close'),
    cancelAll: () => cancelAlls++,
    position: () => ({ ...pos }),
    setTimer: () => {},
    clearTimer: () => {},
    roundToTick: (p: number) => Math.round(p / 2) * 2,
    log: () => {},
    warn: () => {},
  } as unknown as StrategyContext;
  ema.onInit?.(ctx);
  /** Delivers the answers now due, then the tick. */
  const tick = (lastPrice: number) => {
    now++;
    for (const d of due.filter((x) => x.at <= now)) {
      due.splice(due.indexOf(d), 1);
      d.run();
    }
    ema.onTick?.(ctx, { instrument: 'au2606', time: now, lastPrice, volume: now });
  };
  return { tick, sent, pos, cancelAlls: () => cancelAlls };
}

/** A zigzag that crosses the averages every few ticks. */
const zigzag = (n: number) => Array.from({ length: n }, (_, i) => 61200 + (Math.floor(i / 3) % 2 ? 20 : -20));

describe('ema-cross sample', () => {
  it('under lag it never holds more than `lots` a side, nor sends an entry while one is working', () => {
    const rt = laggyRuntime({ lag: 7 });
    let maxLong = 0;
    let maxShort = 0;
    for (const p of zigzag(300)) {
      rt.tick(p);
      maxLong = Math.max(maxLong, rt.pos.long);
      maxShort = Math.max(maxShort, rt.pos.short);
    }
    expect(rt.sent.filter((o) => o.offset === 'open').length).toBeGreaterThan(10); // it really traded
    expect(maxLong).toBe(1);
    expect(maxShort).toBe(1);
    for (const o of rt.sent) expect(o.quantity).toBeLessThanOrEqual(5);
    expect(rt.cancelAlls()).toBeGreaterThan(0); // stale orders are still cancelled on a new signal
  });

  it('closes a position above maxOrderLots in orders the risk limits accept', () => {
    const rt = laggyRuntime({ lag: 2, start: { long: 12 } });
    const prices = [61200, 61200, 61200, 61300, 61300, 61100];
    for (const p of prices) rt.tick(p);
    const closes = rt.sent.filter((o) => o.offset === 'close');
    expect(closes.map((o) => [o.side, o.quantity])).toEqual([
      ['sell', 5],
      ['sell', 5],
      ['sell', 2],
    ]);
    for (let i = 0; i < 5; i++) rt.tick(61100);
    expect(rt.pos.long).toBe(0);
  });

  it('a refused entry does not block the next one', () => {
    let refusals = 1;
    const rt = laggyRuntime({
      lag: 3,
      refuse: (o) => o.offset === 'open' && o.side === 'buy' && refusals-- > 0,
    });
    for (const p of zigzag(40)) rt.tick(p);
    const buys = rt.sent.filter((o) => o.offset === 'open' && o.side === 'buy');
    expect(buys.length).toBeGreaterThan(1);
    expect(rt.pos.long).toBeLessThanOrEqual(1);
  });
});
