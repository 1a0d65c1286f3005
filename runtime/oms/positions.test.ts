import { describe, expect, it } from 'vitest';
import type { Fill } from '../domain/types.ts';
import { avgPrice, PositionBook } from './positions.ts';

let n = 0;
const fill = (side: Fill['side'], offset: Fill['offset'], price: number, quantity: number): Fill => ({
  tradeId: `t${++n}`,
  clOrdId: `c${n}`,
  instrument: 'au2606',
  side,
  offset,
  price,
  quantity,
  commission: 1000 * quantity,
  time: 0,
  origin: 'test',
});

describe('PositionBook', () => {
  it('opens add to today; close-today takes today first', () => {
    const b = new PositionBook();
    b.applyFill(fill('buy', 'open', 61200, 2));
    b.rollDay();
    b.applyFill(fill('buy', 'open', 61400, 1));
    expect(b.get('au2606').long).toMatchObject({ today: 1, yesterday: 2 });
    b.applyFill(fill('sell', 'close-today', 61500, 1));
    expect(b.get('au2606').long).toMatchObject({ today: 0, yesterday: 2 });
  });

  it('a plain close takes yesterday (SHFE meaning)', () => {
    const b = new PositionBook();
    b.applyFill(fill('sell', 'open', 61200, 2));
    b.rollDay();
    b.applyFill(fill('sell', 'open', 61200, 1));
    b.applyFill(fill('buy', 'close', 61000, 2));
    expect(b.get('au2606').short).toMatchObject({ today: 1, yesterday: 0 });
  });

  it('realized PnL in integer fen from the average entry; unrealized at the last price', () => {
    const b = new PositionBook();
    b.applyFill(fill('buy', 'open', 61200, 1));
    b.applyFill(fill('buy', 'open', 61210, 1));
    expect(avgPrice(b.get('au2606').long)).toBe(61205);
    // 1000 g × 0.10 CNY = 100 CNY = 10000 fen
    expect(b.unrealized('au2606', 61215)).toBe(2 * 10 * 1000);
    const r = b.applyFill(fill('sell', 'close-today', 61215, 1));
    expect(r).toBe(10 * 1000);
    expect(b.get('au2606').realizedPnl).toBe(10000);
    expect(b.unrealized('au2606', 61215)).toBe(10000);
  });

  it('short PnL has the opposite sign', () => {
    const b = new PositionBook();
    b.applyFill(fill('sell', 'open', 61200, 1));
    expect(b.unrealized('au2606', 61100)).toBe(100 * 1000);
    expect(b.applyFill(fill('buy', 'close-today', 61300, 1))).toBe(-100 * 1000);
  });

  it('adopts the counter numbers during reconciliation', () => {
    const b = new PositionBook();
    b.applyFill(fill('buy', 'open', 61200, 1));
    b.adopt(
      { instrument: 'au2606', longToday: 2, longYesterday: 1, shortToday: 0, shortYesterday: 0 },
      61300,
    );
    expect(b.asCounterPosition('au2606')).toEqual({
      instrument: 'au2606',
      longToday: 2,
      longYesterday: 1,
      shortToday: 0,
      shortYesterday: 0,
    });
    expect(b.get('au2606').long.cost).toBe(61200 * 3);
  });

  it('lots adopted before any price carry no PnL until the first price, which becomes their entry', () => {
    const b = new PositionBook();
    const counter = {
      instrument: 'au2606',
      longToday: 0,
      longYesterday: 0,
      shortToday: 2,
      shortYesterday: 0,
    };
    b.adopt(counter, undefined);
    expect(b.hasUnknownCosts()).toBe(true);
    expect(b.get('au2606').short).toEqual({ today: 2, yesterday: 0, cost: 0, costUnknown: true });
    // With a cost of 0, two short lots at 612.00 would read as a loss of 1.22 million CNY.
    expect(b.unrealized('au2606', 61200)).toBe(0);
    expect(avgPrice(b.get('au2606').short)).toBeUndefined();
    b.priceUnknownCosts('au2606', 61200);
    expect(b.hasUnknownCosts()).toBe(false);
    expect(b.get('au2606').short).toEqual({ today: 2, yesterday: 0, cost: 61200 * 2 });
    expect(b.unrealized('au2606', 61100)).toBe(2 * 100 * 1000);
    // Adopting again with a price known keeps the entry it has.
    b.adopt({ ...counter, shortToday: 3 }, 60000);
    expect(b.get('au2606').short.cost).toBe(61200 * 3);
  });

  it('a fill on lots whose entry is unknown prices them at the fill first (no made-up PnL), and it survives a snapshot', () => {
    const b = new PositionBook();
    b.adopt(
      { instrument: 'au2606', longToday: 0, longYesterday: 3, shortToday: 0, shortYesterday: 0 },
      undefined,
    );
    const restored = new PositionBook();
    restored.restore(b.snapshot());
    expect(restored.hasUnknownCosts()).toBe(true);
    expect(restored.applyFill(fill('sell', 'close', 61500, 1))).toBe(0);
    expect(restored.get('au2606').long).toEqual({ today: 0, yesterday: 2, cost: 61500 * 2 });
    expect(restored.hasUnknownCosts()).toBe(false);
  });

  it('margin at 16% of notional', () => {
    const b = new PositionBook();
    b.applyFill(fill('buy', 'open', 60000, 1));
    expect(b.margin('au2606', 60000)).toBe(Math.ceil(60000 * 1000 * 0.16));
  });
});
